"""Plan data through the feeds: ratios in links files, plan fields in groups files, location_plans files,
and their exports importing back unchanged."""

from datetime import date
from decimal import Decimal

import pytest

from collector import plans
from collector.models import GroupLocationPlan, ItemGroup, ItemLink, RelationAudit
from plmtracker.feeds import import_file
from plmtracker.feeds.exporting import export_to_file
from tests.collector.conftest import link
from tests.factories import LocationFactory
from tests.plmtracker.feeds.helpers import state, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(items, steward):
    """Two groups with names, policies, ratios and go-live plans."""
    first = link(items[0], items[1], ratio="0.5").group_id
    link(items[0], items[2], ratio="2")
    second = link(items[3], items[4]).group_id
    places = [LocationFactory(location_id=3000 + n, location_name=f"BIN {n}") for n in range(3)]
    plans.group_plan_update(
        group_id=first,
        name="Gloves, one SKU",
        use_up_policy="immediate",
        start_date=date(2026, 11, 1),
        last_order_date=date(2026, 11, 20),
        end_date=date(2027, 1, 31),
    )
    plans.group_plan_update(group_id=second, use_up_policy="use_until_end")
    plans.location_plan_set(group_id=first, location_id=3000, go_live_date=date(2026, 12, 1), note="first, then")
    plans.location_plan_set(group_id=first, location_id=3001, go_live_date=None, note="waiting")
    plans.location_plan_set(group_id=second, location_id=3002, go_live_date=date(2027, 1, 5))
    return first, second, places


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["links", "groups", "location_plans"])
def test_exports_import_back_unchanged(planned, steward, tmp_path, kind, fmt):
    path = tmp_path / f"{kind}.{fmt}"
    assert export_to_file(kind, path) > 0
    before, audits = state(), RelationAudit.objects.count()
    result = import_file(kind, path, user=steward)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)
    assert state() == before and RelationAudit.objects.count() == audits


def test_a_links_file_sets_and_changes_ratios(items, steward, tmp_path):
    link(items[0], items[1])
    header = ["item", "replace", "ratio"]
    result = import_file(
        "links", write_csv(tmp_path / "l.csv", header, [["A0000", "A0001", "0.25"], ["A0002", "A0003", ""]])
    )
    assert result.ok and (result.created, result.updated) == (1, 1)
    assert dict(ItemLink.objects.values_list("item__erp_item_code", "ratio")) == {
        "A0000": Decimal("0.25"),
        "A0002": Decimal(1),
    }
    # A file without the column leaves the ratios as they are.
    import_file("links", write_csv(tmp_path / "n.csv", ["item", "replace"], [["A0000", "A0001"]]))
    assert ItemLink.objects.get(item=items[0]).ratio == Decimal("0.25")


def test_a_groups_file_with_an_empty_policy_means_use_up(planned, tmp_path):
    first, _, _ = planned
    header = ["group_id", "name", "use_up_policy"]
    assert import_file("groups", write_csv(tmp_path / "g.csv", header, [[str(first), "", ""]])).ok
    group = ItemGroup.objects.get(pk=first)
    assert (group.name, group.use_up_policy) == (None, "use_up")


def test_a_location_plans_file_writes_through_the_plan_service(planned, steward, tmp_path):
    first, second, _ = planned
    header = ["group_id", "location_id", "go_live_date"]
    rows = [[str(first), "3000", "2026-12-08"], [str(second), "3000", "2027-01-02"]]
    result = import_file("location_plans", write_csv(tmp_path / "p.csv", header, rows), user=steward)
    assert result.ok and (result.created, result.updated) == (1, 1)
    kept = GroupLocationPlan.objects.get(group_id=first, location_id=3000)
    assert (kept.go_live_date, kept.note) == (date(2026, 12, 8), "first, then")  # no note column: notes stay
    assert set(
        RelationAudit.objects.filter(action="location_plans_replace", user=steward).values_list("group_id", flat=True)
    ) == {first, second}


def test_a_bad_row_writes_nothing_of_the_file(planned, tmp_path):
    first, _, _ = planned
    header = ["group_id", "location_id", "go_live_date", "note"]
    rows = [[str(first), "3002", "2026-12-08", ""], [str(first), "3001", "2026-02-30", ""]]
    before = state()
    result = import_file("location_plans", write_csv(tmp_path / "p.csv", header, rows))
    assert not result.written
    assert [(e.line, e.column) for e in result.errors] == [(3, "go_live_date")]
    assert "is not a date (use YYYY-MM-DD)" in result.errors[0].message
    assert state() == before

"""Plan writes: ratios, the group's plan fields, go-live per location, and plans through merges and splits."""

from datetime import date
from decimal import Decimal

import pytest

from collector import history, plans, services
from collector.models import GroupLocationPlan, ItemGroup, ItemLink, RelationAudit
from tests.collector.conftest import link
from tests.factories import ItemLocationFactory, LocationFactory

D = date.fromisoformat


def plan_map(group_id: int) -> dict[int, tuple]:
    return {
        loc: (day, note)
        for loc, day, note in GroupLocationPlan.objects.filter(group_id=group_id).values_list(
            "location_id", "go_live_date", "note"
        )
    }


def audits(action: str) -> list[RelationAudit]:
    return list(RelationAudit.objects.filter(action=action).order_by("audit_id"))


@pytest.fixture
def places(db):
    return [LocationFactory(location_id=100 + n, location_name=f"PAR {n}") for n in range(4)]


# --------------------------------------------------------------------------
# Ratios


def test_link_add_stores_the_ratio_and_reports_it(items, steward):
    result = link(items[0], items[1], ratio="0.5", user=steward)
    assert result.created and result.ratio == Decimal("0.5")
    assert ItemLink.objects.get().ratio == Decimal("0.5")
    row = audits("link_add")[0]
    assert row.details["ratio"] == "0.5"
    assert "at a ratio of 0.5" in history.describe("link_add", row.details, {})


def test_re_adding_a_link_with_another_ratio_updates_it_and_audits(items, steward):
    link(items[0], items[1], user=steward)
    again = link(items[0], items[1], ratio=Decimal(2), user=steward, reason="Box of 2")
    assert (again.created, again.ratio_updated, again.ratio) == (False, True, Decimal(2))
    assert ItemLink.objects.get().ratio == Decimal(2)
    (row,) = audits("link_ratio")
    assert (row.user, row.reason, row.details["from"], row.details["to"]) == (steward, "Box of 2", "1", "2")
    assert history.describe("link_ratio", row.details, {}) == "A0000 → A0001: ratio 1 → 2"


def test_re_adding_with_the_same_ratio_changes_nothing(items, steward):
    link(items[0], items[1], ratio="2", user=steward)
    count = RelationAudit.objects.count()
    again = link(items[0], items[1], ratio="2.000", user=steward)
    assert (again.created, again.ratio_updated) == (False, False)
    assert RelationAudit.objects.count() == count


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        ("0", "more than 0"),
        ("-1", "more than 0"),
        ("abc", "must be a number"),
        ("NaN", "more than 0"),
        ("1.1234567", "more than 6 decimal places"),
        ("1e13", "too large"),
        (True, "must be a number"),
    ],
)
def test_bad_ratios_are_refused_and_nothing_is_written(items, unchanged, ratio, words):
    with unchanged(), pytest.raises(services.GraphError, match=words) as caught:
        link(items[0], items[1], ratio=ratio)
    assert caught.value.status_code == 400


def test_bulk_links_carry_ratios_and_update_existing_ones(items, steward):
    link(items[0], items[1], user=steward)
    pairs = [(items[0].pk, items[1].pk, None), (items[2].pk, items[3].pk, None)]
    ratios = {(items[0].pk, items[1].pk): Decimal("0.5"), (items[2].pk, items[3].pk): Decimal(3)}
    preview = services.links_add_bulk(pairs=pairs, ratios=ratios, dry_run=True)
    assert [(a, b, old, new) for a, b, old, new in preview.ratio_updates] == [
        (items[0].pk, items[1].pk, Decimal(1), Decimal("0.5"))
    ]
    assert ItemLink.objects.get(item=items[0]).ratio == 1
    services.links_add_bulk(pairs=pairs, ratios=ratios, user=steward)
    assert dict(ItemLink.objects.values_list("item_id", "ratio")) == {items[0].pk: Decimal("0.5"), items[2].pk: 3}
    assert len(audits("link_ratio")) == 1
    # The same file again: nothing to change.
    assert services.links_add_bulk(pairs=pairs, ratios=ratios, user=steward).ratio_updates == []


# --------------------------------------------------------------------------
# The group's plan


def test_group_plan_update_saves_and_audits_before_and_after(items, steward):
    group_id = link(items[0], items[1]).group_id
    group = plans.group_plan_update(
        group_id=group_id,
        user=steward,
        name="  Nitrile gloves to one SKU ",
        use_up_policy="immediate",
        start_date=D("2026-11-01"),
        last_order_date=D("2026-11-15"),
        end_date=D("2027-01-31"),
        reason="VAC decision",
    )
    assert (group.name, group.use_up_policy, group.last_order_date) == (
        "Nitrile gloves to one SKU",
        "immediate",
        D("2026-11-15"),
    )
    (row,) = audits("plan_update")
    assert (row.user, row.reason, row.group_id) == (steward, "VAC decision", group_id)
    assert row.details["changes"]["use_up_policy"] == {"from": "use_up", "to": "immediate"}
    text = history.describe("plan_update", row.details, {})
    assert "Use-up policy use up the originals → replace at go-live" in text
    assert "Last order date none → 2026-11-15" in text
    # Only what is given changes; a blank name clears it.
    plans.group_plan_update(group_id=group_id, user=steward, name="")
    group.refresh_from_db()
    assert (group.name, group.use_up_policy) == (None, "immediate")


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"use_up_policy": "burn_it"}, "use-up policy must be one of"),
        ({"start_date": D("2026-12-01"), "end_date": D("2026-11-01")}, "end date must be on or after"),
        ({"end_date": D("2026-12-01"), "last_order_date": D("2026-12-02")}, "on or before the end date"),
        ({"start_date": D("2026-12-01"), "last_order_date": D("2025-11-01")}, "more than a year before"),
        ({"name": "x" * 121}, "at most 120"),
    ],
)
def test_group_plan_update_refuses_bad_fields(items, unchanged, fields, words):
    group_id = link(items[0], items[1]).group_id
    with unchanged(), pytest.raises(services.GraphError, match=words):
        plans.group_plan_update(group_id=group_id, **fields)


def test_group_plan_update_of_an_unknown_group_is_404(db):
    with pytest.raises(services.NotFoundError) as caught:
        plans.group_plan_update(group_id=999, name="x")
    assert caught.value.status_code == 404


# --------------------------------------------------------------------------
# Go-live per location


def test_location_plan_set_changes_and_removes_a_plan_with_audit(items, places, steward):
    group_id = link(items[0], items[1]).group_id
    plans.location_plan_set(
        group_id=group_id, location_id=100, go_live_date=D("2026-12-01"), note="Ward closed Mondays", user=steward
    )
    plans.location_plan_set(group_id=group_id, location_id=100, go_live_date=D("2026-12-08"), user=steward)
    assert plan_map(group_id) == {100: (D("2026-12-08"), None)}
    plans.location_plan_set(group_id=group_id, location_id=100, go_live_date=None, user=steward, reason="later")
    assert plan_map(group_id) == {}
    rows = audits("location_plan")
    assert [(r.details["from"], r.details["to"]) for r in rows] == [
        (None, "2026-12-01"),
        ("2026-12-01", "2026-12-08"),
        ("2026-12-08", None),
    ]
    assert rows[2].reason == "later" and rows[0].user == steward
    assert history.describe("location_plan", rows[0].details, {}) == (
        "Go-live at PAR 0: none → 2026-12-01 (note: Ward closed Mondays)"
    )
    # The same value again writes nothing.
    plans.location_plan_set(group_id=group_id, location_id=100, go_live_date=None, user=steward)
    assert len(audits("location_plan")) == 3


def test_location_plan_set_refuses_unknown_group_or_location(items, places, unchanged):
    group_id = link(items[0], items[1]).group_id
    with unchanged():
        with pytest.raises(services.NotFoundError, match="Location 999"):
            plans.location_plan_set(group_id=group_id, location_id=999, go_live_date=D("2026-12-01"))
        with pytest.raises(services.NotFoundError, match="Group 999"):
            plans.location_plan_set(group_id=999, location_id=100, go_live_date=D("2026-12-01"))
        with pytest.raises(services.GraphError, match="at most 400"):
            plans.location_plan_set(group_id=group_id, location_id=100, go_live_date=None, note="n" * 401)


def test_set_empty_fills_only_stocked_locations_without_a_date(items, places, steward):
    group_id = link(items[0], items[1]).group_id
    for loc in places[:3]:
        ItemLocationFactory(item=items[0], location=loc)
    ItemLocationFactory(item=items[1], location=places[0])
    ItemLocationFactory(item=items[5], location=places[3])  # not a member: not this group's location
    plans.location_plan_set(group_id=group_id, location_id=100, go_live_date=D("2026-12-01"))
    plans.location_plan_set(group_id=group_id, location_id=101, go_live_date=None, note="Waiting for par")
    assert plans.stocked_location_ids(group_id) == [100, 101, 102]
    filled = plans.location_plans_set_empty(group_id=group_id, go_live_date=D("2027-01-04"), user=steward)
    assert filled == 2
    assert plan_map(group_id) == {
        100: (D("2026-12-01"), None),
        101: (D("2027-01-04"), "Waiting for par"),
        102: (D("2027-01-04"), None),
    }
    (row,) = audits("location_plans_fill")
    assert row.details == {"go_live_date": "2027-01-04", "location_ids": [101, 102]}
    assert "given to 2 locations" in history.describe(row.action, row.details, {})
    assert plans.location_plans_set_empty(group_id=group_id, go_live_date=D("2027-02-01")) == 0


def test_replace_makes_the_plans_exactly_the_list(items, places, steward):
    group_id = link(items[0], items[1]).group_id
    plans.location_plan_set(group_id=group_id, location_id=100, go_live_date=D("2026-12-01"))
    plans.location_plan_set(group_id=group_id, location_id=101, go_live_date=D("2026-12-02"))
    result = plans.location_plans_replace(
        group_id=group_id,
        plans=[
            {"location_id": 101, "go_live_date": D("2026-12-02")},
            {"location_id": 102, "go_live_date": D("2027-01-01"), "note": "after the holidays"},
        ],
        user=steward,
    )
    assert (result.created, result.updated, result.removed, result.unchanged) == (1, 0, 1, 1)
    assert plan_map(group_id) == {101: (D("2026-12-02"), None), 102: (D("2027-01-01"), "after the holidays")}
    (row,) = audits("location_plans_replace")
    assert row.details == {"set": {"102": "2027-01-01"}, "removed": [100]}


@pytest.mark.parametrize(
    ("rows", "error", "words"),
    [
        ([{"location_id": 999, "go_live_date": None}], services.NotFoundError, "Location 999"),
        ([{"location_id": 100}, {"location_id": 100}], services.GraphError, "listed twice"),
    ],
)
def test_replace_refuses_bad_lists(items, places, unchanged, rows, error, words):
    group_id = link(items[0], items[1]).group_id
    plans.location_plan_set(group_id=group_id, location_id=101, go_live_date=D("2026-12-02"))
    before = plan_map(group_id)
    with unchanged(), pytest.raises(error, match=words):
        plans.location_plans_replace(group_id=group_id, plans=rows)
    assert plan_map(group_id) == before


def test_upsert_creates_updates_and_skips_with_one_audit_per_group(items, places, steward):
    first = link(items[0], items[1]).group_id
    second = link(items[2], items[3]).group_id
    plans.location_plan_set(group_id=first, location_id=100, go_live_date=D("2026-12-01"))
    rows = [
        plans.ImportedPlan(first, 100, D("2026-12-01"), None),
        plans.ImportedPlan(first, 101, D("2026-12-05"), None),
        plans.ImportedPlan(second, 100, D("2026-12-09"), "x"),
    ]
    assert plans.location_plans_upsert(plans=rows, write=False) == ["skip", "new", "new"]
    assert len(plan_map(first)) == 1
    assert plans.location_plans_upsert(plans=rows, user=steward) == ["skip", "new", "new"]
    assert plan_map(second) == {100: (D("2026-12-09"), "x")}
    assert {r.group_id for r in audits("location_plans_replace")} == {first, second}
    assert plans.location_plans_upsert(plans=rows, user=steward) == ["skip", "skip", "skip"]


# --------------------------------------------------------------------------
# Merges and splits


def test_a_merge_carries_the_losers_plans_and_the_winners_dates_win(items, places, steward):
    winner = link(items[0], items[1]).group_id
    loser = link(items[2], items[3]).group_id
    for loc, day in ((100, "2026-12-01"), (101, None)):
        plans.location_plan_set(
            group_id=winner, location_id=loc, go_live_date=day and D(day), note=None if day else "wait"
        )
    for loc, day in ((100, "2027-02-01"), (101, "2027-02-02"), (102, "2027-02-03")):
        plans.location_plan_set(group_id=loser, location_id=loc, go_live_date=D(day), note=f"from {loc}")
    services.group_merge(group_id=loser, target_group_id=winner, user=steward)
    assert plan_map(winner) == {
        100: (D("2026-12-01"), None),  # both had a date: the winner's
        101: (D("2027-02-02"), "wait"),  # the winner had none: the loser's date, the winner's note
        102: (D("2027-02-03"), "from 102"),  # only the loser had it
    }
    assert not GroupLocationPlan.objects.filter(group_id=loser).exists()


def test_a_merge_by_a_new_link_carries_plans(items, places):
    winner = link(items[0], items[1]).group_id
    loser = link(items[2], items[3]).group_id
    plans.location_plan_set(group_id=loser, location_id=102, go_live_date=D("2027-02-03"))
    result = link(items[1], items[2])
    assert result.merged_group_ids == [loser] and result.group_id == winner
    assert plan_map(winner) == {102: (D("2027-02-03"), None)}


def test_a_bulk_merge_carries_plans_along_a_chain_of_merges(items, places):
    groups = [link(items[2 * n], items[2 * n + 1]).group_id for n in range(3)]
    plans.location_plan_set(group_id=groups[1], location_id=100, go_live_date=D("2027-01-02"))
    plans.location_plan_set(group_id=groups[2], location_id=100, go_live_date=D("2027-01-03"))
    plans.location_plan_set(group_id=groups[2], location_id=101, go_live_date=D("2027-01-04"))
    pairs = [(items[3].pk, items[4].pk, None), (items[1].pk, items[2].pk, None)]
    services.links_add_bulk(pairs=pairs)
    assert ItemGroup.objects.count() == 1
    # Group 2 merged into group 1 first (group 1's date wins), then group 1 into group 0.
    assert plan_map(groups[0]) == {100: (D("2027-01-02"), None), 101: (D("2027-01-04"), None)}


def test_a_split_copies_plans_policy_and_last_order_to_the_new_group(items, places, steward):
    group_id = link(items[0], items[1]).group_id
    link(items[1], items[2])
    plans.group_plan_update(
        group_id=group_id, name="Gloves", use_up_policy="use_until_end", last_order_date=D("2026-12-01")
    )
    plans.location_plan_set(group_id=group_id, location_id=100, go_live_date=D("2026-12-10"), note="n")
    plans.location_plan_set(group_id=group_id, location_id=101, go_live_date=None, note="later")
    result = services.group_split(group_id=group_id, item_ids=[items[2].pk], user=steward, allow_alone=True)
    new = ItemGroup.objects.get(pk=result.new_group_id)
    assert (new.name, new.use_up_policy, new.last_order_date) == (None, "use_until_end", D("2026-12-01"))
    assert plan_map(new.pk) == plan_map(group_id) == {100: (D("2026-12-10"), "n"), 101: (None, "later")}
    assert audits("group_split")[0].details["plans_copied"] == 2

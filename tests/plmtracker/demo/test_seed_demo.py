"""`manage.py seed_demo` fills an empty database with realistic, deterministic data."""

import hashlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min

from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink
from plmtracker.inventory.models import BurnRateDaily, Item, ItemLocation, Location, OnHandSnapshot, PoLine, Uom

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2026, 11, 20)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--today", TODAY.isoformat(), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fingerprint() -> str:
    """A digest of the business data (not of ids the database hands out)."""
    h = hashlib.sha256()
    for row in Item.objects.order_by("erp_item_code").values_list("erp_item_code", "description", "active_flag"):
        h.update(repr(row).encode())
    for row in ItemLocation.objects.order_by("item__erp_item_code", "location_id").values_list(
        "item__erp_item_code", "location_id", "on_hand_ea"
    ):
        h.update(repr(row).encode())
    for row in ItemLink.objects.order_by("item__erp_item_code", "replace_item__erp_item_code").values_list(
        "item__erp_item_code", "replace_item__erp_item_code"
    ):
        h.update(repr(row).encode())
    h.update(repr(PoLine.objects.aggregate(Max("po_date"), Min("po_date"), Count("pk"))).encode())
    return h.hexdigest()


@pytest.fixture
def seeded():
    return seed("--scale", "small", "--seed", "7")


def test_small_demo_has_every_kind_of_row(seeded):
    assert "Seeded the small demo" in seeded
    assert Item.objects.count() == 600
    assert set(Uom.objects.values_list("code", flat=True)) >= {"EA", "BX", "CS"}
    assert set(Location.objects.values_list("location_type", flat=True)) == {"main", "sat", "par", "bin", "dept"}
    assert ItemLocation.objects.count() > 1200
    assert PoLine.objects.count() == 6000
    assert PoLine.objects.filter(price__isnull=True).exists()  # some PO lines carry no price
    assert OnHandSnapshot.objects.exists()
    # 120 days of daily burn rates, ending on the anchor day, with several signal sources.
    days = BurnRateDaily.objects.aggregate(first=Min("as_of_date"), last=Max("as_of_date"))
    assert days == {"first": TODAY - timedelta(days=119), "last": TODAY}
    assert BurnRateDaily.objects.values("signal_source").distinct().count() >= 5
    # PO lines cover the last twelve months.
    assert PoLine.objects.aggregate(m=Min("po_date"))["m"] >= TODAY - timedelta(days=365)


def test_demo_groups_come_from_the_grouping_rules(seeded):
    assert ItemGroup.objects.count() == 80
    # The invariant: both ends of every link are in the same group.
    members = dict(ItemGroupMember.objects.values_list("item_id", "group_id"))
    for a, b in ItemLink.objects.values_list("item_id", "replace_item_id"):
        assert members[a] == members[b]
    # Chains (an item that is both replaced and a replacement) and conflicts of every kind.
    outs = dict(ItemLink.objects.values("item_id").annotate(n=Count("*")).values_list("item_id", "n"))
    ins = dict(ItemLink.objects.values("replace_item_id").annotate(n=Count("*")).values_list("replace_item_id", "n"))
    assert set(outs) & set(ins), "no chain A -> B -> C"
    assert set(GroupAlert.objects.values_list("alert_type", flat=True)) == {"OUT_DEG_GT1", "IN_DEG_GT1", "MANY_TO_MANY"}
    assert GroupAlert.objects.filter(resolution="kept").exists()
    assert set(ItemGroup.objects.values_list("status", flat=True)) == {"draft", "active", "retired"}


def test_same_seed_gives_the_same_data_and_another_seed_does_not(seeded):
    first = fingerprint()
    seed("--scale", "small", "--seed", "7", "--force")
    assert fingerprint() == first
    seed("--scale", "small", "--seed", "8", "--force")
    assert fingerprint() != first


def test_refuses_a_database_that_already_has_data(seeded):
    with pytest.raises(CommandError, match="--force"):
        seed("--scale", "small")
    assert Item.objects.count() == 600


def test_if_empty_leaves_existing_data_alone(seeded):
    codes = set(Item.objects.values_list("erp_item_code", flat=True))
    out = seed("--scale", "small", "--seed", "9", "--if-empty")
    assert "leaving it as it is" in out
    assert set(Item.objects.values_list("erp_item_code", flat=True)) == codes


def test_small_demo_has_plans_and_every_stage_and_flag(seeded):
    from decimal import Decimal

    from collector.models import GroupLocationPlan
    from dashboard.queries import Filters
    from dashboard.queries.stages import location_stages

    groups = ItemGroup.objects.all()
    assert 0 < groups.filter(name__isnull=False).count() < groups.count()  # some named, not all
    assert set(groups.values_list("use_up_policy", flat=True)) == {"use_up", "use_until_end", "immediate"}
    assert groups.filter(last_order_date__isnull=False).exists()
    assert {Decimal("0.5"), Decimal(2)} <= set(ItemLink.objects.values_list("ratio", flat=True))
    days = list(GroupLocationPlan.objects.values_list("go_live_date", flat=True))
    assert None in days
    assert any(d and d < TODAY for d in days) and any(d and d > TODAY + timedelta(days=14) for d in days)
    assert any(d and TODAY < d <= TODAY + timedelta(days=14) for d in days)
    rows = location_stages(Filters(as_of=TODAY))
    assert {r["stage"] for r in rows} == {"not_set_up", "set_up", "ready", "live", "converted"}
    assert any(r["late"] for r in rows) and any(r["at_risk"] for r in rows)


def test_small_demo_has_every_attention_kind_and_savings_both_ways(seeded):
    from attention.queries import attention_items
    from attention.rules import KINDS
    from dashboard.queries import Filters
    from dashboard.queries.outcomes import group_outcomes

    assert {item.kind for item in attention_items(TODAY)} == set(KINDS)
    projected = [o["projected_annual_savings"] for o in group_outcomes(Filters(TODAY)).values()]
    assert any(p and p > 0 for p in projected) and any(p and p < 0 for p in projected)

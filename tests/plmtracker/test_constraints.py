"""The spec's keys and enumerations are enforced by the database itself."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink
from plmtracker.inventory.models import (
    BurnRateDaily,
    Item,
    ItemLocation,
    ItemUomConversion,
    Location,
    OnHandSnapshot,
    PoLine,
    Uom,
)
from tests.factories import ItemFactory, LocationFactory, UomFactory

pytestmark = pytest.mark.django_db


def raw_insert(table: str, **values):
    """Insert with plain SQL, past the ORM's own validation, as another program would."""
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in values)
    marks = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})", list(values.values()))


def expect_refused(table: str, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_insert(table, **values)


@pytest.fixture
def item():
    return ItemFactory()


@pytest.fixture
def other():
    return ItemFactory()


@pytest.fixture
def location():
    return LocationFactory()


def test_duplicate_erp_item_code_is_refused(item):
    expect_refused("items", erp_item_code=item.erp_item_code, active_flag=True)


def test_duplicate_uom_code_is_refused():
    UomFactory(code="CS")
    expect_refused("uom", code="CS")


@pytest.mark.parametrize("location_type", ["MAIN", "ward", ""])
def test_location_type_outside_the_spec_is_refused(location_type):
    expect_refused("location", location_id=77, location_name="X", location_type=location_type)


def test_all_five_location_types_are_accepted():
    for n, kind in enumerate(["main", "sat", "par", "bin", "dept"]):
        raw_insert("location", location_id=500 + n, location_name=kind, location_type=kind)
    assert Location.objects.filter(location_id__gte=500).count() == 5


def test_one_item_location_row_per_item_and_location(item, location):
    ItemLocation.objects.create(item=item, location=location, on_hand_ea=5)
    expect_refused("item_location", item_id=item.pk, location_id=location.pk, on_hand_ea=1)


def test_negative_on_hand_is_refused(item, location):
    expect_refused("item_location", item_id=item.pk, location_id=location.pk, on_hand_ea=-1)


def test_one_conversion_per_item_and_unit_pair(item):
    ea, bx = UomFactory(code="EA"), UomFactory(code="BX")
    ItemUomConversion.objects.create(item=item, from_uom=bx, to_uom=ea, factor=100)
    expect_refused("item_uom_conversion", item_id=item.pk, from_uom_id=bx.pk, to_uom_id=ea.pk, factor=50)
    expect_refused("item_uom_conversion", item_id=item.pk, from_uom_id=ea.pk, to_uom_id=bx.pk, factor=0)


def test_one_burn_rate_per_day_item_and_location(item, location):
    BurnRateDaily.objects.create(
        as_of_date=date(2026, 11, 1), item=item, location=location, burnrate_ea_per_day=2, signal_source="L90"
    )
    expect_refused(
        "burnrate_daily",
        as_of_date=date(2026, 11, 1),
        item_id=item.pk,
        location_id=location.pk,
        burnrate_ea_per_day=3,
        signal_source="L10",
    )


@pytest.mark.parametrize("signal", ["L30", "l90", "MANUAL"])
def test_signal_source_outside_the_spec_is_refused(item, location, signal):
    expect_refused(
        "burnrate_daily",
        as_of_date=date(2026, 11, 2),
        item_id=item.pk,
        location_id=location.pk,
        burnrate_ea_per_day=1,
        signal_source=signal,
    )


def test_duplicate_po_line_id_and_negative_quantity_are_refused(item):
    PoLine.objects.create(po_line_id=1, po_date=date(2026, 1, 5), item=item, qty_ea=10, price="1.5")
    expect_refused("po_line", po_line_id=1, po_date=date(2026, 1, 6), item_id=item.pk, qty_ea=5)
    expect_refused("po_line", po_line_id=2, po_date=date(2026, 1, 6), item_id=item.pk, qty_ea=-5)


def test_one_snapshot_per_day_item_and_location(item, location):
    OnHandSnapshot.objects.create(snapshot_date=date(2026, 11, 1), item=item, location=location, on_hand_ea=4)
    expect_refused(
        "on_hand_snapshot", snapshot_date=date(2026, 11, 1), item_id=item.pk, location_id=location.pk, on_hand_ea=5
    )


@pytest.mark.parametrize("status", ["open", "ACTIVE", "closed"])
def test_group_status_outside_the_spec_is_refused(status):
    expect_refused("item_group", status=status)


def test_group_status_defaults_to_draft_in_the_database():
    raw_insert("item_group", reason="made by plain SQL")
    assert ItemGroup.objects.get(reason="made by plain SQL").status == "draft"


def test_group_end_before_start_is_refused():
    expect_refused("item_group", status="draft", start_date=date(2026, 5, 1), end_date=date(2026, 4, 1))


def test_an_item_is_a_member_of_one_group_only(item):
    g1, g2 = ItemGroup.objects.create(), ItemGroup.objects.create()
    ItemGroupMember.objects.create(item=item, group=g1)
    expect_refused("item_group_member", item_id=item.pk, group_id=g2.pk)


@pytest.mark.parametrize("role", ["orig", "ORIGINAL", "new"])
def test_member_role_outside_the_spec_is_refused(item, role):
    group = ItemGroup.objects.create()
    expect_refused("item_group_member", item_id=item.pk, group_id=group.pk, role=role)


def test_links_are_unique_and_never_self_links(item, other):
    ItemLink.objects.create(item=item, replace_item=other)
    expect_refused("item_link", item_id=item.pk, replace_item_id=other.pk)
    expect_refused("item_link", item_id=item.pk, replace_item_id=item.pk)


@pytest.mark.parametrize("alert_type", ["OUT_DEG", "CONFLICT"])
def test_alert_type_outside_the_spec_is_refused(item, alert_type):
    expect_refused("group_alert", item_id=item.pk, alert_type=alert_type)


def test_at_most_one_open_alert_per_item(item):
    GroupAlert.objects.create(item=item, alert_type="OUT_DEG_GT1", degree_out=2, degree_in=0)
    expect_refused("group_alert", item_id=item.pk, alert_type="IN_DEG_GT1")
    # A resolved alert does not count against the one open alert.
    GroupAlert.objects.filter(item=item).update(resolved_at=timezone.now(), resolution="kept")
    raw_insert("group_alert", item_id=item.pk, alert_type="IN_DEG_GT1")
    assert GroupAlert.objects.filter(item=item).count() == 2


def test_created_at_is_filled_by_the_database(item):
    raw_insert("items", erp_item_code="PLAIN-SQL", active_flag=True)
    plain = Item.objects.get(erp_item_code="PLAIN-SQL")
    assert plain.created_at is not None
    assert Uom.objects.exists()  # the factory's EA

"""take_snapshot writes one row per item location and day, and nothing twice."""

from datetime import date

import pytest

from plmtracker.inventory.models import OnHandSnapshot
from plmtracker.inventory.snapshots import take_snapshot
from tests.factories import ItemLocationFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)


def test_snapshot_records_each_item_location_once_per_day():
    a = ItemLocationFactory(on_hand_ea=12, on_order_ea=None)
    b = ItemLocationFactory(on_hand_ea=0, on_order_ea=40)
    result = take_snapshot(DAY)
    assert (result.created, result.updated) == (2, 0)
    rows = {(s.item_id, s.location_id): (s.on_hand_ea, s.on_order_ea) for s in OnHandSnapshot.objects.all()}
    assert rows == {(a.item_id, a.location_id): (12, None), (b.item_id, b.location_id): (0, 40)}

    again = take_snapshot(DAY)
    assert (again.created, again.updated) == (0, 0)
    assert OnHandSnapshot.objects.count() == 2


def test_a_later_change_the_same_day_updates_that_days_row_only():
    a = ItemLocationFactory(on_hand_ea=12, on_order_ea=None)
    ItemLocationFactory(on_hand_ea=5)
    take_snapshot(date(2026, 11, 19))
    take_snapshot(DAY)
    a.on_hand_ea, a.on_order_ea = 7, 30
    a.save()
    result = take_snapshot(DAY)
    assert (result.created, result.updated) == (0, 1)
    assert OnHandSnapshot.objects.get(snapshot_date=DAY, item=a.item).on_hand_ea == 7
    assert OnHandSnapshot.objects.get(snapshot_date=DAY, item=a.item).on_order_ea == 30
    assert OnHandSnapshot.objects.get(snapshot_date=date(2026, 11, 19), item=a.item).on_hand_ea == 12


def test_a_new_item_location_joins_the_days_snapshot():
    ItemLocationFactory(on_hand_ea=1)
    take_snapshot(DAY)
    ItemLocationFactory(on_hand_ea=2)
    assert take_snapshot(DAY).created == 1
    assert OnHandSnapshot.objects.filter(snapshot_date=DAY).count() == 2

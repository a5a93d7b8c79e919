"""Daily on-hand history: one row per item, location and day, read by the trend charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from plmtracker.inventory.models import ItemLocation, OnHandSnapshot


@dataclass(frozen=True)
class SnapshotResult:
    day: date
    created: int
    updated: int


@transaction.atomic
def take_snapshot(day: date) -> SnapshotResult:
    """Record every item location's on-hand for `day`, in two set-based statements.

    Pairs without a row for the day get one; rows whose figures changed since
    (an import later that day) are brought up to date; running it again with
    nothing changed writes nothing.
    """
    current = ItemLocation.objects.filter(item_id=OuterRef("item_id"), location_id=OuterRef("location_id"))
    # On-order may be null: compare through a value no real quantity has (they are >= 0).
    stale = (
        OnHandSnapshot.objects.filter(snapshot_date=day)
        .annotate(
            now_on_hand=Subquery(current.values("on_hand_ea")[:1]),
            was_on_order=Coalesce("on_order_ea", Value(-1), output_field=DecimalField()),
            now_on_order=Coalesce(Subquery(current.values("on_order_ea")[:1]), Value(-1), output_field=DecimalField()),
        )
        .filter(now_on_hand__isnull=False)
        .filter(~Q(on_hand_ea=F("now_on_hand")) | ~Q(was_on_order=F("now_on_order")))
    )
    updated = OnHandSnapshot.objects.filter(pk__in=Subquery(stale.values("pk"))).update(
        on_hand_ea=Subquery(current.values("on_hand_ea")[:1]),
        on_order_ea=Subquery(current.values("on_order_ea")[:1]),
    )
    qn = connection.ops.quote_name
    snapshot, item_location = qn(OnHandSnapshot._meta.db_table), qn(ItemLocation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {snapshot} (snapshot_date, item_id, location_id, on_hand_ea, on_order_ea) "
            f"SELECT %s, il.item_id, il.location_id, il.on_hand_ea, il.on_order_ea FROM {item_location} il "
            f"WHERE NOT EXISTS (SELECT 1 FROM {snapshot} s WHERE s.snapshot_date = %s "
            "AND s.item_id = il.item_id AND s.location_id = il.location_id)",
            [connection.ops.adapt_datefield_value(day)] * 2,
        )
        created = cursor.rowcount
    return SnapshotResult(day, created, updated)

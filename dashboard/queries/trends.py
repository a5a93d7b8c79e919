"""Trends of a group or an item: on-hand and burn per day, PO quantity and spend per week."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncWeek

from dashboard.kpis import figure
from dashboard.outcomes import MAX_TREND_DAYS, weeks
from dashboard.queries.base import (
    ROLES,
    Filters,
    as_date,
    at_location,
    membership_lookups,
)
from dashboard.queries.onhand import ZERO
from plmtracker.inventory.models import BurnRateDaily, ItemLocation, OnHandSnapshot, PoLine


def series(rows: QuerySet, key: str, measures: dict[str, tuple[str, str]], buckets: dict[str, Q]) -> list[dict]:
    """Rows summed per `key` (a day or a week), one column per bucket and measure, in key order."""
    sums = {
        f"{bucket}{name}": Coalesce(Sum(column, filter=condition), ZERO)
        for bucket, condition in buckets.items()
        for name, (column, _) in measures.items()
    }
    kinds = {f"{bucket}{name}": kind for bucket in buckets for name, (_, kind) in measures.items()}
    grouped = rows.annotate(role=F("item__membership__role")).order_by().values(key).annotate(**sums).order_by(key)
    return [{"date": as_date(row[key]), **{name: figure(row[name], kinds[name]) for name in sums}} for row in grouped]


def trend_series(filters: Filters, days: int, lookups: dict[str, Any], buckets: dict[str, Q]) -> dict[str, Any]:
    """On-hand per day (snapshots), burn per day (burnrate_daily) and PO per week, as_of - days to as_of.

    The window has the edges of the KPIs' PO window, so the weeks of a
    90-day trend add up to po_qty_90d and po_spend_90d.

    `lookups` choose the items (on the item's path), `buckets` split them
    into columns (original/replacement, or one bucket for an item). Burn rows
    count where the item is stocked, like the KPIs; PO lines ignore the
    location filter. Weeks start on Monday; every week of the window has its
    row (0 when nothing was bought). The window is at most MAX_TREND_DAYS long.
    """
    days = min(days, MAX_TREND_DAYS)
    start = filters.as_of - timedelta(days=days)
    snapshots = at_location(
        OnHandSnapshot.objects.filter(snapshot_date__gte=start, snapshot_date__lte=filters.as_of, **lookups), filters
    )
    stocked = ItemLocation.objects.filter(item_id=OuterRef("item_id"), location_id=OuterRef("location_id"))
    burns = at_location(
        BurnRateDaily.objects.filter(Exists(stocked), as_of_date__gte=start, as_of_date__lte=filters.as_of, **lookups),
        filters,
    )
    lines = PoLine.objects.filter(po_date__gte=start, po_date__lte=filters.as_of, **lookups).annotate(
        week=TruncWeek("po_date"), spend=F("qty_ea") * F("price")
    )
    po_measures = {"po_qty": ("qty_ea", "ea"), "po_spend": ("spend", "money")}
    return {
        "start": start,
        "end": filters.as_of,
        "days": days,
        "on_hand": series(snapshots, "snapshot_date", {"on_hand_ea": ("on_hand_ea", "ea")}, buckets),
        "burn": series(burns, "as_of_date", {"burn_ea_per_day": ("burnrate_ea_per_day", "burn")}, buckets),
        "po_weekly": every_week(
            series(lines, "week", po_measures, buckets),
            [f"{b}{name}" for b in buckets for name in po_measures],
            start,
            filters.as_of,
        ),
    }


def every_week(rows: list[dict[str, Any]], columns: list[str], start: date, end: date) -> list[dict[str, Any]]:
    """Weekly rows for every week from start's to end's, the weeks nobody bought in as zeros (not a gap)."""
    found = {row["date"]: row for row in rows}
    return [found.get(week, {"date": week, **dict.fromkeys(columns, 0.0)}) for week in weeks(start, end)]


def role_buckets() -> dict[str, Q]:
    return {f"{role}_": Q(role=role) for role in ROLES}


def group_trends(group_id: int, filters: Filters, days: int) -> dict[str, Any]:
    return {"group_id": group_id, "location_id": filters.location_param} | trend_series(
        filters, days, membership_lookups(group_id=group_id), role_buckets()
    )


def item_trends(item_id: int, filters: Filters, days: int) -> dict[str, Any]:
    return {"item_id": item_id, "location_id": filters.location_param} | trend_series(
        filters, days, {"item_id": item_id}, {"": Q()}
    )

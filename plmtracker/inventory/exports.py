"""Master data and inventory tables out, in the columns the import feeds read.

Each function takes the common filters (`as_of`, `location_id`, `group_id`,
ignoring those that do not apply) and returns (headers, rows); rows stream
from the database. `queryset` narrows a table to what an admin list shows.
An exported file imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

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

Table = tuple[list[str], Iterable[tuple[Any, ...]]]
CHUNK = 5000
PO_WINDOW_DAYS = 90


def _rows(queryset: QuerySet, *fields: str) -> Iterable[tuple[Any, ...]]:
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK)


def _for_group(queryset: QuerySet, group_id: int | None, item_path: str = "item") -> QuerySet:
    if group_id is None:
        return queryset
    prefix = f"{item_path}__" if item_path else ""
    return queryset.filter(**{f"{prefix}membership__group_id": group_id})


def uom(*, queryset: QuerySet | None = None, **_: Any) -> Table:
    queryset = Uom.objects.order_by("code") if queryset is None else queryset
    return ["code", "description"], _rows(queryset, "code", "description")


def items(*, group_id: int | None = None, queryset: QuerySet | None = None, **_: Any) -> Table:
    queryset = Item.objects.order_by("erp_item_code") if queryset is None else queryset
    queryset = _for_group(queryset, group_id, item_path="")
    headers = ["erp_item_code", "description", "base_uom", "active_flag"]
    return headers, _rows(queryset, "erp_item_code", "description", "base_uom__code", "active_flag")


def locations(*, location_id: int | None = None, queryset: QuerySet | None = None, **_: Any) -> Table:
    queryset = Location.objects.order_by("location_id") if queryset is None else queryset
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    return ["location_id", "location_name", "location_type"], _rows(
        queryset, "location_id", "location_name", "location_type"
    )


def item_locations(
    *, location_id: int | None = None, group_id: int | None = None, queryset: QuerySet | None = None, **_: Any
) -> Table:
    queryset = ItemLocation.objects.order_by("item__erp_item_code", "location_id") if queryset is None else queryset
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    queryset = _for_group(queryset, group_id)
    headers = [
        "erp_item_code",
        "location_id",
        "location_name",
        "location_type",
        "stock_uom",
        "reorder_point",
        "reorder_unit",
        "reorder_upto_qty",
        "on_hand_ea",
        "on_order_ea",
        "last_counted_at",
    ]
    return headers, _rows(
        queryset,
        "item__erp_item_code",
        "location_id",
        "location__location_name",
        "location__location_type",
        "stock_uom__code",
        "reorder_point",
        "reorder_unit__code",
        "reorder_upto_qty",
        "on_hand_ea",
        "on_order_ea",
        "last_counted_at",
    )


def conversions(*, group_id: int | None = None, queryset: QuerySet | None = None, **_: Any) -> Table:
    if queryset is None:
        queryset = ItemUomConversion.objects.order_by("item__erp_item_code", "from_uom__code", "to_uom__code")
    queryset = _for_group(queryset, group_id)
    return ["erp_item_code", "from_uom", "to_uom", "factor"], _rows(
        queryset, "item__erp_item_code", "from_uom__code", "to_uom__code", "factor"
    )


def _daily(
    queryset: QuerySet, day_field: str, as_of: date | None, location_id: int | None, group_id: int | None
) -> QuerySet:
    if as_of is not None:
        queryset = queryset.filter(**{day_field: as_of})
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    return _for_group(queryset, group_id)


def burnrates(
    *, as_of: date | None = None, location_id: int | None = None, group_id: int | None = None, **_: Any
) -> Table:
    """Burn rates; with `as_of`, the rows of that day only."""
    queryset = BurnRateDaily.objects.order_by("as_of_date", "item__erp_item_code", "location_id")
    queryset = _daily(queryset, "as_of_date", as_of, location_id, group_id)
    headers = ["as_of_date", "erp_item_code", "location_id", "burnrate_ea_per_day", "signal_source"]
    return headers, _rows(
        queryset, "as_of_date", "item__erp_item_code", "location_id", "burnrate_ea_per_day", "signal_source"
    )


def po_lines(*, as_of: date | None = None, group_id: int | None = None, **_: Any) -> Table:
    """PO lines; with `as_of`, the 90 days up to that day (the dashboard's window)."""
    queryset = PoLine.objects.order_by("po_date", "po_line_id")
    if as_of is not None:
        queryset = queryset.filter(po_date__gte=as_of - timedelta(days=PO_WINDOW_DAYS), po_date__lte=as_of)
    queryset = _for_group(queryset, group_id)
    headers = ["po_line_id", "po_date", "erp_item_code", "vendor_id", "vendor_name", "qty_ea", "price"]
    return headers, _rows(
        queryset, "po_line_id", "po_date", "item__erp_item_code", "vendor_id", "vendor_name", "qty_ea", "price"
    )


def on_hand_snapshots(
    *, as_of: date | None = None, location_id: int | None = None, group_id: int | None = None, **_: Any
) -> Table:
    """The daily on-hand history; with `as_of`, that day's snapshot."""
    queryset = OnHandSnapshot.objects.order_by("snapshot_date", "item__erp_item_code", "location_id")
    queryset = _daily(queryset, "snapshot_date", as_of, location_id, group_id)
    headers = ["snapshot_date", "erp_item_code", "location_id", "on_hand_ea", "on_order_ea"]
    return headers, _rows(queryset, "snapshot_date", "item__erp_item_code", "location_id", "on_hand_ea", "on_order_ea")


EXPORTS = {
    "uom": uom,
    "items": items,
    "locations": locations,
    "item_locations": item_locations,
    "conversions": conversions,
    "burnrates": burnrates,
    "po_lines": po_lines,
    "on_hand_snapshots": on_hand_snapshots,
}

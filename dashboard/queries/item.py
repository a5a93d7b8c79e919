"""One item's reads: its KPIs overall and per location where it is stocked."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    F,
    OuterRef,
)

from dashboard.kpis import coverage_days, figure, run_out
from dashboard.queries.base import (
    Filters,
    kpi_block,
    po_window,
    source_fields,
    stock_and_po_measures,
    stock_pairs,
)
from plmtracker.inventory.models import Item


def item_kpis(item_id: int, filters: Filters) -> dict[str, Any] | None:
    """One item's KPIs, overall and per location where it is stocked, or None when there is no such item."""
    pairs = stock_pairs(filters, item_id=OuterRef("item_id"))
    lines = po_window(filters, item_id=OuterRef("item_id"))
    measures = stock_and_po_measures(pairs, lines)
    row = (
        Item.objects.filter(item_id=item_id)
        .annotate(**measures, group_id=F("membership__group_id"), role=F("membership__role"))
        .values("item_id", "erp_item_code", "description", "group_id", "role", *measures)
        .first()
    )
    if row is None:
        return None
    locations = [
        {
            "location_id": pair["location_id"],
            "location_name": pair["location__location_name"],
            "location_type": pair["location__location_type"],
            "on_hand_ea": figure(pair["on_hand"], "ea"),
            "burn_ea_per_day": figure(pair["burn"], "burn"),
            "coverage_days": coverage_days(pair["on_hand"], pair["burn"]),
            **run_out(filters.as_of, pair["on_hand"], pair["burn"]),
        }
        for pair in stock_pairs(filters, item_id=item_id)
        .order_by("location_id")
        .values("location_id", "location__location_name", "location__location_type", "on_hand", "burn")
    ]
    block = kpi_block(row)
    return {
        "item_id": row["item_id"],
        "erp_item_code": row["erp_item_code"],
        "description": row["description"],
        "group_id": row["group_id"],
        "role": row["role"],
        "as_of": filters.as_of,
        "location_id": filters.location_param,
        "on_hand_source": source_fields(filters, item_id=item_id),
        **block,
        **run_out(filters.as_of, block["on_hand_ea"], block["burn_ea_per_day"]),
        "locations": locations,
    }


def item_exists(item_id: int) -> bool:
    return Item.objects.filter(item_id=item_id).exists()

"""Tables other tools can export (`export_data`), and the dashboard's own downloads use.

Each function takes keyword arguments `as_of`, `location_id` and `group_id`
(ignoring what it does not need) and returns `(headers, rows)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from dashboard.queries import Filters, group_kpis, overview_groups

Table = tuple[list[str], Iterable[Sequence[Any]]]

OVERVIEW_HEADERS = [
    "group_id",
    "name",
    "title",
    "status",
    "reason",
    "members",
    "original_po_spend_90d",
    "original_po_qty_90d",
    "original_on_hand_ea",
    "original_burn_ea_per_day",
    "original_coverage_days",
    "replacement_on_hand_ea",
    "replacement_burn_ea_per_day",
    "replacement_coverage_days",
    "readiness_pct",
    "setup_pct",
    "stranded_ea",
    "stranded_value",
]
MEMBER_HEADERS = [
    "group_id",
    "group_title",
    "item_id",
    "erp_item_code",
    "description",
    "role",
    "on_hand_ea",
    "burn_ea_per_day",
    "coverage_days",
    "po_qty_90d",
    "po_spend_90d",
]


def _filters(as_of: date | None, location_id: int | None) -> Filters:
    return Filters(as_of=as_of or timezone.localdate(), location_id=location_id)


def overview_table(*, as_of: date | None = None, location_id: int | None = None, **_: Any) -> Table:
    """Every active group, ranked by the originals' 90-day PO spend, with its KPIs."""
    rows = (
        [
            g["group_id"],
            g["name"],
            g["title"],
            g["status"],
            g["reason"],
            g["member_count"],
            g["original"]["po_spend_90d"],
            g["original"]["po_qty_90d"],
            g["original"]["on_hand_ea"],
            g["original"]["burn_ea_per_day"],
            g["original"]["coverage_days"],
            g["replacement"]["on_hand_ea"],
            g["replacement"]["burn_ea_per_day"],
            g["replacement"]["coverage_days"],
            g["readiness_pct"],
            g["setup_pct"],
            g["stranded"]["on_hand_ea"],
            g["stranded"]["value"],
        ]
        for g in overview_groups(_filters(as_of, location_id), limit=None)
    )
    return OVERVIEW_HEADERS, rows


def group_members_table(
    *, as_of: date | None = None, location_id: int | None = None, group_id: int | None = None, **_: Any
) -> Table:
    """The members of one group (with a role or not) and their KPIs; ValueError without a known group."""
    if group_id is None:
        raise ValueError("group_id is required: the member table is one group's.")
    kpis = group_kpis(group_id, _filters(as_of, location_id))
    if kpis is None:
        raise ValueError(f"There is no group {group_id}.")
    rows = [[group_id, kpis["title"], *(item[name] for name in MEMBER_HEADERS[2:])] for item in kpis["items"]]
    return MEMBER_HEADERS, rows


EXPORTS: dict[str, Callable[..., Table]] = {
    "dashboard_overview": overview_table,
    "dashboard_group_members": group_members_table,
}

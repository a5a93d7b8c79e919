"""Location stages per (group, location), for any number of groups in one query.

The database sums what the stage rule needs (docs/DESIGN.md, "Location stages") per
(group, location) where any member of the group has an `item_location` row:
the originals' on-hand (as of as_of) and burn, the replacements' rows, on-hand
and par, and the effective go-live (the location plan's date, else the group's
start date). `dashboard.stages.location_stage` applies the rule to each row.

Like the group's location table, there are two ways to the same rows: one
pass grouped by (group, location) where the database sums over subqueries
(PostgreSQL, SQLite), and on SQL Server one row per (group, location) (its
first member row) with the sums in correlated derived tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Exists, Expression, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from collector.golive import effective_go_live_sql
from dashboard.queries import base
from dashboard.queries.onhand import ZERO
from dashboard.stages import READY_STAGES, STAGES, location_stage
from plmtracker.inventory.models import ItemLocation

GroupIds = Iterable[int] | QuerySet | None

ORIGINAL = Q(role="original")
REPLACEMENT = Q(role="replacement")
PAR = REPLACEMENT & (Q(reorder_point__gt=0) | Q(reorder_upto_qty__gt=0))


def _group_lookups(group_ids: GroupIds) -> dict[str, Any]:
    if group_ids is None:
        return {"item__membership__group_id__isnull": False}
    if not isinstance(group_ids, QuerySet):
        group_ids = list(group_ids)
    return {"item__membership__group_id__in": group_ids}


def _go_live() -> Expression:
    """The effective go-live (collector.golive) of the outer row's group (`group_ref`) at its location."""
    return effective_go_live_sql("group_ref", "location_id", "item__membership__group__start_date")


def _grouped(filters: base.Filters, group_ids: GroupIds) -> QuerySet:
    pairs = base.stock_pairs(filters, **_group_lookups(group_ids)).annotate(
        group_ref=F("item__membership__group_id"), role=F("item__membership__role")
    )
    return (
        pairs.annotate(go_live=_go_live())
        .order_by()
        .values("group_ref", "location_id", "location__location_name", "location__location_type", "go_live")
        .annotate(
            original_rows=Count("pk", filter=ORIGINAL),
            original_on_hand=Coalesce(Sum("on_hand", filter=ORIGINAL), ZERO),
            original_burn=Coalesce(Sum("burn", filter=ORIGINAL), ZERO),
            replacement_rows=Count("pk", filter=REPLACEMENT),
            replacement_on_hand=Coalesce(Sum("on_hand", filter=REPLACEMENT), ZERO),
            par_rows=Count("pk", filter=PAR),
        )
    )


def _correlated(filters: base.Filters, group_ids: GroupIds) -> QuerySet:
    """One row per (group, location): the member row with the lowest id there, with correlated sums."""
    rows = base.at_location(ItemLocation.objects.filter(**_group_lookups(group_ids)), filters).annotate(
        group_ref=F("item__membership__group_id")
    )
    earlier = ItemLocation.objects.filter(
        location_id=OuterRef("location_id"), item__membership__group_id=OuterRef("group_ref"), pk__lt=OuterRef("pk")
    )

    def there(role: str, *conditions: Q) -> QuerySet:
        members = base.membership_lookups(group_id=OuterRef("group_ref"), role=role)
        return base.stock_pairs(filters, location_id=OuterRef("location_id"), **members).filter(*conditions)

    def count(rows: QuerySet) -> Coalesce:
        return Coalesce(base.SumOf(rows, Value(1)), 0)

    par = Q(reorder_point__gt=0) | Q(reorder_upto_qty__gt=0)
    return (
        rows.filter(~Exists(earlier))
        .annotate(
            go_live=_go_live(),
            original_rows=count(there("original")),
            original_on_hand=base.total(there("original"), F("on_hand")),
            original_burn=base.total(there("original"), F("burn")),
            replacement_rows=count(there("replacement")),
            replacement_on_hand=base.total(there("replacement"), F("on_hand")),
            par_rows=count(there("replacement", par)),
        )
        .values(
            "group_ref",
            "location_id",
            "location__location_name",
            "location__location_type",
            "go_live",
            "original_rows",
            "original_on_hand",
            "original_burn",
            "replacement_rows",
            "replacement_on_hand",
            "par_rows",
        )
    )


def stage_inputs(filters: base.Filters, group_ids: GroupIds = None) -> QuerySet:
    """The sums the stage rule needs, one row per (group, location): one query."""
    if base.sums_over_subqueries(ItemLocation):
        return _grouped(filters, group_ids)
    return _correlated(filters, group_ids)


def location_stages(filters: base.Filters, group_ids: GroupIds = None) -> list[dict[str, Any]]:
    """One row per (group, location) where any member of the group has an `item_location` row (the chosen
    location only, when one is given), for the groups given (None: every group), in group and location order.

    Each row: group_id, location_id, location_name, location_type, go_live_date
    (effective), stage, late, at_risk, original_rows, original_on_hand_ea,
    original_burn_ea_per_day, replacement_rows, replacement_on_hand_ea (Decimals
    as summed; on-hand as of as_of) and par_set. One query, whatever the number of groups.
    """
    if group_ids is not None and not isinstance(group_ids, QuerySet):
        group_ids = list(group_ids)
        if not group_ids:
            return []
    rows = []
    for row in stage_inputs(filters, group_ids).order_by("group_ref", "location_id"):
        stocked = row["replacement_on_hand"] > 0
        par_set = row["par_rows"] > 0
        stage, late, at_risk = location_stage(
            go_live=row["go_live"],
            as_of=filters.as_of,
            original_on_hand=row["original_on_hand"],
            original_burn=row["original_burn"],
            replacement_rows=row["replacement_rows"],
            stocked=stocked,
            par_set=par_set,
        )
        rows.append(
            {
                "group_id": row["group_ref"],
                "location_id": row["location_id"],
                "location_name": row["location__location_name"],
                "location_type": row["location__location_type"],
                "go_live_date": row["go_live"],
                "stage": stage,
                "late": late,
                "at_risk": at_risk,
                "original_rows": row["original_rows"],
                "original_on_hand_ea": row["original_on_hand"],
                "original_burn_ea_per_day": row["original_burn"],
                "replacement_rows": row["replacement_rows"],
                "replacement_on_hand_ea": row["replacement_on_hand"],
                "par_set": par_set,
            }
        )
    return rows


def stages_by_location(
    group_id: int, as_of: date, go_lives: dict[int, date | None] | None = None
) -> dict[int, dict[str, Any]]:
    """Stage and flags per location of one group on `as_of`, for the collector's go-live table (one query);
    `counted`: an original is stocked there, so readiness counts it.

    `go_lives` (location id -> effective go-live) asks what the stages would be with those dates: the
    go-live table's preview of an edit, by the same rule, before anything is saved.
    """
    go_lives = go_lives or {}
    stages = {}
    for r in location_stages(base.Filters(as_of=as_of), group_ids=[group_id]):
        stage, late, at_risk = r["stage"], r["late"], r["at_risk"]
        if r["location_id"] in go_lives:
            stage, late, at_risk = location_stage(
                go_live=go_lives[r["location_id"]],
                as_of=as_of,
                original_on_hand=r["original_on_hand_ea"],
                original_burn=r["original_burn_ea_per_day"],
                replacement_rows=r["replacement_rows"],
                stocked=r["replacement_on_hand_ea"] > 0,
                par_set=r["par_set"],
            )
        stages[r["location_id"]] = {"stage": stage, "late": late, "at_risk": at_risk, "counted": r["original_rows"] > 0}
    return stages


def count_stages(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many of the rows are at each stage (every stage named, 0 when none), and how many are late or at risk."""
    counts = dict.fromkeys(STAGES, 0) | {"late": 0, "at_risk": 0}
    for row in rows:
        counts[row["stage"]] += 1
        counts["late"] += row["late"]
        counts["at_risk"] += row["at_risk"]
    return counts


def stage_counts(filters: base.Filters, group_ids: GroupIds = None) -> dict[int, dict[str, int]]:
    """Per group: how many of its locations are at each stage, late and at risk. One query."""
    by_group: dict[int, list[dict[str, Any]]] = {}
    for row in location_stages(filters, group_ids):
        by_group.setdefault(row["group_id"], []).append(row)
    return {group_id: count_stages(rows) for group_id, rows in by_group.items()}


def readiness_counts(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Readiness counts over stage rows (docs/DESIGN.md, "Readiness and set-up"): the (group, location)
    pairs where an original has a row; of those the pairs whose stage is ready, live or converted
    (`ready_locations`) and the pairs where a replacement has a row (`setup_locations`, the old readiness)."""
    originals = [row for row in rows if row["original_rows"]]
    return {
        "original_locations": len(originals),
        "ready_locations": sum(1 for row in originals if row["stage"] in READY_STAGES),
        "setup_locations": sum(1 for row in originals if row["replacement_rows"]),
    }

"""Read the kept daily figures: the overview, many groups' rows, and a group's history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum

from collector.models import ItemGroup
from dashboard import outcomes
from dashboard.figures.compute import COUNTS, OUTCOME_SUMS, ROLE_SUMS, SAVINGS, group_row
from dashboard.figures.services import ensure_fresh
from dashboard.models import DailyFigures
from dashboard.outcomes import OutcomeSums
from dashboard.queries import TOP_GROUPS, Filters, onhand
from dashboard.queries.base import kpi_block, readiness_figures
from dashboard.queries.outcomes import overview as live_overview
from dashboard.stages import STAGES
from plmtracker.ops.bulk import id_chunks

HISTORY_FIELDS = ("compliance_pct", "readiness_pct", "cutover_coverage_days", "realised_savings")


def served_from_rows(filters: Filters) -> bool:
    """Whether the kept rows answer these filters: today, all locations (a past day or one location is live)."""
    return filters.location_id is None and filters.as_of == onhand.site_today()


def _current(day: date):
    """The day's rows of groups that still exist (a merge's loser keeps no row on the overview)."""
    return DailyFigures.objects.filter(day=day).filter(Exists(ItemGroup.objects.filter(group_id=OuterRef("group_id"))))


def overview_page(filters: Filters) -> dict[str, Any]:
    """The overview's figures: from today's kept rows at all locations, computed live otherwise."""
    return overview(filters) if served_from_rows(filters) else live_overview(filters)


def overview(filters: Filters, limit: int | None = None) -> dict[str, Any]:
    """The overview (`dashboard.queries.outcomes.overview`'s shape) from today's kept rows.

    Three statements (the groups due, the active groups' pooled sums, the top groups' rows), after a refresh
    of any group due.
    """
    ensure_fresh(filters.as_of)
    active = _current(filters.as_of).filter(status="active")
    # The database pools every active group's sums (one aggregate); only the top groups' whole rows are read.
    started = Q(compliance_started=True)
    pooled = active.aggregate(  # every column from the pooled index (group_id counts rows: it is never null)
        active_groups=Count("group_id"),
        any_started=Count("group_id", filter=started),
        **{name: Sum(name) for name in (*ROLE_SUMS, *COUNTS, "member_count", *SAVINGS)},
        **{name: Sum(name) for name in OUTCOME_SUMS[:4]},
        **{name: Sum(name, filter=started) for name in OUTCOME_SUMS[4:]},
    )
    ranked = active.order_by("-original_po_spend_90d", "group_id")
    top = list(ranked.values_list("summary", flat=True)[: TOP_GROUPS if limit is None else limit])
    totals = {name: pooled[name] or Decimal(0) for name in ROLE_SUMS}
    counts = {name: pooled[name] or 0 for name in COUNTS}
    total = OutcomeSums(**{name: pooled[name] or Decimal(0) for name in OUTCOME_SUMS})
    source = onhand.on_hand_source(filters.as_of)
    return {
        "as_of": filters.as_of,
        "location_id": filters.location_param,
        "on_hand_source": {
            "from_snapshots": source.from_snapshots,
            "snapshot_date": source.snapshot_date,
            "label": source.label,
        },
        "active_groups": pooled["active_groups"],
        "items_impacted": pooled["member_count"] or 0,
        "original": kpi_block(totals, "original_"),
        "replacement": kpi_block(totals, "replacement_"),
        **readiness_figures(counts),
        "outcome": outcomes.pooled_figures(
            total,
            pooled["any_started"] > 0,
            {name: pooled[name] for name in SAVINGS},
        ),
        "top_groups": [group_row(summary) for summary in top],
    }


def group_figures_today(group_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Today's figures of many groups, keyed by group_id, refreshed first where due.

    Each value is the group's overview row: title, status, dates, `original` and `replacement`
    KPI blocks, readiness, `stage_counts` and `outcome`. Two statements per 1,000 groups.
    """
    day = onhand.site_today()
    ensure_fresh(day)
    found: dict[int, dict[str, Any]] = {}
    for chunk in id_chunks(group_ids):
        rows = _current(day).filter(group_id__in=chunk).values_list("group_id", "summary")
        found |= {group_id: group_row(summary) for group_id, summary in rows}
    return found


def group_history(group_id: int, last_day: date) -> list[dict[str, Any]]:
    """The group's kept rows up to `last_day`, oldest first: what was known each day (one statement)."""
    rows = DailyFigures.objects.filter(group_id=group_id, day__lte=last_day).order_by("day")
    return list(rows.values("day", *HISTORY_FIELDS))


def stage_share_history(last_day: date) -> list[dict[str, Any]]:
    """Per kept day up to `last_day`: how many active conversions' locations were at each stage.

    One aggregate of the rows' stage columns, summed per day by the database.
    """
    counts = {stage: Sum(f"stage_{stage}") for stage in STAGES}
    rows = DailyFigures.objects.filter(day__lte=last_day, status="active").order_by().values("day")
    return [
        {"day": row["day"], "counts": {stage: row[stage] or 0 for stage in STAGES}}
        for row in rows.annotate(**counts).order_by("day")
    ]

"""One row of figures per group and day, computed set-based by the live KPI queries."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from collector.models import ItemGroup
from dashboard import outcomes
from dashboard.kpis import run_out
from dashboard.queries import ROLES, Filters
from dashboard.queries.group import group_rows, group_summary, leakage_by_group, leakage_figures, with_readiness
from dashboard.queries.outcomes import outcome_sums
from dashboard.queries.stranded import stranded_by_group, stranded_figures
from dashboard.stages import STAGES

ROLE_SUMS = tuple(
    f"{role}_{name}" for role in ROLES for name in ("on_hand_ea", "burn_ea_per_day", "po_qty_90d", "po_spend_90d")
)
# The outcome's sums that pool across groups (demand, supply, cut-over stock; compliance over started groups).
OUTCOME_SUMS = ("replacement_on_hand", "original_on_hand_equiv", "replacement_burn", "original_burn_equiv")
OUTCOME_SUMS += ("compliance_replacement_qty", "compliance_original_equiv")
DATES = ("start_date", "end_date", "last_order_date")
COUNTS = ("original_locations", "ready_locations", "setup_locations")
SAVINGS = ("projected_annual_savings", "realised_savings")  # what the overview pools of each group's outcome
PLACES = Decimal("0.000001")  # the sums' columns keep six places
# The columns of a row, in the order a row is compared: the history, the summary, and the pooled sums.
COLUMNS = ("status", "compliance_pct", "readiness_pct", "cutover_coverage_days", "realised_savings", "summary")
DECIMALS = (*ROLE_SUMS, *OUTCOME_SUMS)
COLUMNS += (*DECIMALS, "compliance_started", "projected_annual_savings", *COUNTS, "member_count")
FACTS = ("leakage_po_qty", "leakage_po_spend", "stranded_on_hand_ea", "stranded_value")
FACTS += ("original_run_out_date", "original_run_out_beyond_horizon")
STAGE_COLUMNS = tuple(f"stage_{stage}" for stage in STAGES)
COLUMNS += FACTS + STAGE_COLUMNS


def as_text(value: Decimal | None) -> str | None:
    """A decimal as plain text without trailing zeros (1.500000 and 1.5 are the same figure)."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def kept_sum(value: Decimal | None) -> Decimal:
    """A sum as its column keeps it (six places; none is zero)."""
    return Decimal(value or 0).quantize(PLACES)


def as_json(value: Any) -> Any:
    """The value as a JSON column gives it back (dates as ISO text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def group_figures(day: date, group_ids: list[int] | None) -> dict[int, dict[str, Any]]:
    """Per group (`None`: every group), its row for `day` at all locations, keyed by group_id.

    Nine statements whatever the number of groups: the groups' stamps, their role KPIs, their stranded
    stock, their leakage, their location stages, and the four outcome statements. The stamp is read first,
    so figures are never older than the stamp they carry.
    """
    filters = Filters(as_of=day)
    chosen = ItemGroup.objects.order_by()
    if group_ids is not None:
        chosen = chosen.filter(group_id__in=group_ids)
    stamps = dict(chosen.values_list("group_id", "updated_at"))
    if not stamps:
        return {}
    rows = group_rows(filters)
    if group_ids is not None:
        rows = rows.filter(group_id__in=group_ids)
    raw = {row["group_id"]: row for row in rows}
    stranded = stranded_by_group(filters, chosen.values("group_id"))
    leakage = leakage_by_group(filters, chosen.values("group_id"))
    summaries = with_readiness(
        filters,
        [group_summary(row) | {"stranded": stranded_figures(row, stranded)} for row in raw.values()],
        chosen.values("group_id"),
    )
    sums = outcome_sums(filters, group_ids)
    result = {}
    for summary in summaries:
        group_id = summary["group_id"]
        if group_id not in stamps or group_id not in sums:
            continue  # made after the stamps were read: the next read computes it
        start_date, group_sums = sums[group_id]
        outcome = outcomes.outcome(group_sums, start_date, day)
        row = raw[group_id]
        result[group_id] = {
            "group_updated_at": stamps[group_id],
            "status": summary["status"],
            "compliance_pct": outcome["compliance_pct"],
            "readiness_pct": summary["readiness_pct"],
            "cutover_coverage_days": outcome["cutover_coverage_days"],
            "realised_savings": outcome["realised_savings"],
            "summary": as_json(summary | {"outcome": outcome}),
            **{name: kept_sum(row[name]) for name in ROLE_SUMS},
            **{name: kept_sum(getattr(group_sums, name)) for name in OUTCOME_SUMS},
            "compliance_started": outcomes.compliance_start(start_date, day) is not None,
            "projected_annual_savings": outcome["projected_annual_savings"],
            **{name: summary[name] for name in (*COUNTS, "member_count")},
            **{f"leakage_{name}": value for name, value in leakage_figures(row, leakage).items()},
            **{f"stranded_{name}": value for name, value in summary["stranded"].items()},
            **run_out(day, summary["original"]["on_hand_ea"], summary["original"]["burn_ea_per_day"], "original_"),
            **{f"stage_{stage}": summary["stage_counts"].get(stage, 0) for stage in STAGES},
        }
    return result


def group_row(summary: dict[str, Any]) -> dict[str, Any]:
    """A kept summary as the live overview shapes a group (dates as dates again)."""
    return summary | {name: date.fromisoformat(summary[name]) if summary[name] else None for name in DATES}


def comparable(values: dict[str, Any]) -> dict[str, Any]:
    """A row's compared columns, normalised as the database gives them back."""
    return {name: as_text(values[name]) if name in DECIMALS else as_json(values[name]) for name in COLUMNS}

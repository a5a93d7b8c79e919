"""The KPI cards of the dashboard pages: what each shows, formatted for people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dashboard.kpis import RUN_OUT_HORIZON_YEARS

DASH = "—"


@dataclass(frozen=True)
class Card:
    key: str  # data-kpi attribute, for tests and scripts
    label: str
    value: str
    help: str = ""
    accent: str = ""  # Bootstrap colour of the left border


def ea(value: float | None) -> str:
    return DASH if value is None else f"{value:,.0f}"


def rate(value: float | None) -> str:
    return DASH if value is None else f"{value:,.2f}"


def days(value: float | None) -> str:
    return DASH if value is None else f"{value:,.1f} d"


def money(value: float | None) -> str:
    return DASH if value is None else f"${value:,.2f}"


def pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}%"


def day(value: date | None) -> str:
    return DASH if value is None else value.isoformat()


BEYOND_HORIZON = f"not within {RUN_OUT_HORIZON_YEARS} years"


def run_out_day(kpis: dict[str, Any], prefix: str = "") -> str:
    """The run-out date, or "not within 10 years" when the stock outlasts the horizon."""
    if kpis[f"{prefix}run_out_beyond_horizon"]:
        return BEYOND_HORIZON
    return day(kpis[f"{prefix}run_out_date"])


def _run_out_help(kpis: dict[str, Any]) -> str:
    if kpis["run_out_date"] or kpis["run_out_beyond_horizon"]:
        return "As of + on hand / burn"
    return "No burn: they do not run out at this rate"


def _readiness(kpis: dict[str, Any]) -> Card:
    return Card(
        "readiness_pct",
        "Readiness",
        pct(kpis["readiness_pct"]),
        f"{kpis['ready_locations']:,} of {kpis['original_locations']:,} original locations also stock a replacement",
    )


def overview_cards(kpis: dict[str, Any]) -> list[Card]:
    original, replacement = kpis["original"], kpis["replacement"]
    return [
        Card("active_groups", "Active groups", f"{kpis['active_groups']:,}", "Conversions under way"),
        Card("items_impacted", "Items impacted", f"{kpis['items_impacted']:,}", "Members of active groups"),
        _readiness(kpis),
        Card(
            "on_hand",
            "On hand EA orig. / repl.",
            f"{ea(original['on_hand_ea'])} / {ea(replacement['on_hand_ea'])}",
            "Eaches on the shelves",
        ),
        Card(
            "original_coverage_days",
            "Coverage, originals",
            days(original["coverage_days"]),
            f"{ea(original['on_hand_ea'])} EA at {rate(original['burn_ea_per_day'])} EA/day",
            "warning",
        ),
        Card(
            "replacement_coverage_days",
            "Coverage, replacements",
            days(replacement["coverage_days"]),
            f"{ea(replacement['on_hand_ea'])} EA at {rate(replacement['burn_ea_per_day'])} EA/day",
            "success",
        ),
    ]


def role_cards(block: dict[str, Any], role: str) -> list[Card]:
    """On-hand, burn, coverage and 90-day PO of the originals or the replacements."""
    accent = "warning" if role == "original" else "success"
    return [
        Card(f"{role}_on_hand_ea", "On hand EA", ea(block["on_hand_ea"]), accent=accent),
        Card(f"{role}_burn_ea_per_day", "Burn EA/day", rate(block["burn_ea_per_day"]), accent=accent),
        Card(f"{role}_coverage_days", "Coverage", days(block["coverage_days"]), "On hand / burn", accent),
        Card(
            f"{role}_po_spend_90d",
            "PO spend, 90 days",
            money(block["po_spend_90d"]),
            f"{ea(block['po_qty_90d'])} EA ordered",
            accent,
        ),
    ]


def forecast_cards(kpis: dict[str, Any]) -> list[Card]:
    """Readiness and the forecasts beyond the spec: run-out, stranded stock, purchase leakage."""
    stranded, leakage = kpis["stranded"], kpis["leakage"]
    if stranded["end_date"] is None:
        stranded_help = "The group has no end date"
    else:
        stranded_help = f"{money(stranded['value'])} left on {day(stranded['end_date'])} at today's burn"
    leakage_help = (
        "The group has no start date"
        if leakage["since"] is None
        else f"{ea(leakage['po_qty'])} EA of originals bought after {day(leakage['since'])}"
    )
    return [
        _readiness(kpis),
        Card(
            "run_out_date",
            "Originals run out",
            run_out_day(kpis),
            _run_out_help(kpis),
        ),
        Card("stranded_ea", "Stranded at end date", f"{ea(stranded['on_hand_ea'])} EA", stranded_help, "danger"),
        Card("leakage_spend", "Purchase leakage", money(leakage["po_spend"]), leakage_help, "danger"),
    ]


def item_cards(kpis: dict[str, Any]) -> list[Card]:
    accent = {"original": "warning", "replacement": "success"}.get(kpis["role"] or "", "")
    return [
        *role_cards(kpis, kpis["role"] or "item"),
        Card("run_out_date", "Runs out", run_out_day(kpis), "As of + on hand / burn", accent),
    ]


GROUP_SERIES = [("original_", "Originals"), ("replacement_", "Replacements")]
ITEM_SERIES = [("", "This item")]


def chart_data(trends: dict[str, Any], series: list[tuple[str, str]]) -> dict[str, Any]:
    """What charts.js draws: per chart, its type, date labels and one dataset per series."""

    def chart(kind: str, rows: list[dict[str, Any]], measure: str) -> dict[str, Any]:
        return {
            "type": kind,
            "labels": [row["date"].isoformat() for row in rows],
            "datasets": [
                {"label": label, "role": prefix.rstrip("_") or "item", "data": [row[prefix + measure] for row in rows]}
                for prefix, label in series
            ],
        }

    return {
        "on_hand": chart("line", trends["on_hand"], "on_hand_ea"),
        "burn": chart("line", trends["burn"], "burn_ea_per_day"),
        "po_weekly": chart("bar", trends["po_weekly"], "po_spend"),
    }

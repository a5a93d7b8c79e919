"""The KPI cards of the dashboard pages: what each shows, formatted for people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dashboard import states
from dashboard.kpis import RUN_OUT_HORIZON_YEARS
from dashboard.stages import STAGE_LABELS, STAGES

DASH = "—"


@dataclass(frozen=True)
class Card:
    key: str  # data-kpi attribute, for tests and scripts
    label: str
    value: str
    help: str = ""
    accent: str = ""  # Bootstrap colour of the left border when the card has no state
    state: str = ""  # ok / watch / act, from the value (dashboard.states); "" for a figure without one
    tip: str = ""  # a formula or the state's thresholds, shown on hover

    @property
    def state_word(self) -> str:
        return states.WORDS.get(self.state, "")

    @property
    def state_icon(self) -> str:
        return states.ICONS.get(self.state, "")

    @property
    def state_colour(self) -> str:
        return states.COLOURS.get(self.state, "")

    @property
    def state_rule(self) -> str:
        return states.rule(self.key) if self.state else ""


def judged(key: str, label: str, raw: float | None, value: str, help: str = "", **extra: Any) -> Card:
    """A card whose state follows its raw value by the thresholds of dashboard.states."""
    return Card(key, label, value, help, state=states.state(key, raw), **extra)


def ea(value: float | None) -> str:
    return DASH if value is None else f"{value:,.0f}"


def rate(value: float | None) -> str:
    return DASH if value is None else f"{value:,.2f}"


def days(value: float | None) -> str:
    return DASH if value is None else f"{value:,.1f} d"


def money(value: float | None) -> str:
    if value is None:
        return DASH
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"  # a conversion can cost money


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
    """Readiness over the locations where an original is stocked, with the stages of the rest of them."""
    counted, ready, setup = kpis["original_locations"], kpis["ready_locations"], kpis["setup_locations"]
    return judged(
        "readiness_pct",
        "Readiness",
        kpis["readiness_pct"],
        pct(kpis["readiness_pct"]),
        f"{ready:,} of the {counted:,} locations where an original is stocked are ready, live or converted;"
        f" {setup - ready:,} set up, {counted - setup:,} not set up",
        tip="Ready: replacement on hand with a par set. Locations that stock only replacements are not counted.",
    )


STRANDED_LABELS = {
    "use_up": "Stranded (use up)",
    "use_until_end": "Stranded at end date",
    "immediate": "Stranded at go-live",
}


def _stranded_help(stranded: dict[str, Any]) -> str:
    policy = stranded["policy"]
    if stranded["on_hand_ea"] is None:
        return "The group has no end date" if policy == "use_until_end" else "No original location has a go-live"
    if policy == "use_up":
        return f"{money(stranded['value'])} not used within {stranded['horizon_days']:,} days at today's burn"
    when = f"on {day(stranded['end_date'])}" if policy == "use_until_end" else "at each location's go-live"
    return f"{money(stranded['value'])} left {when} at today's burn"


def stage_summary(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The group page header's count per stage, in stage order, with the late and at-risk counts."""
    return [{"stage": stage, "label": STAGE_LABELS[stage], "count": counts[stage]} for stage in STAGES]


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
        judged(
            "replacement_coverage_days",
            "Coverage, replacements",
            replacement["coverage_days"],
            days(replacement["coverage_days"]),
            f"{ea(replacement['on_hand_ea'])} EA at {rate(replacement['burn_ea_per_day'])} EA/day",
            accent="success",
        ),
    ]


def role_cards(block: dict[str, Any], role: str) -> list[Card]:
    """On-hand, burn, coverage and 90-day PO of the originals or the replacements."""
    accent = "warning" if role == "original" else "success"
    return [
        Card(f"{role}_on_hand_ea", "On hand EA", ea(block["on_hand_ea"]), accent=accent),
        Card(f"{role}_burn_ea_per_day", "Burn EA/day", rate(block["burn_ea_per_day"]), accent=accent),
        judged(
            f"{role}_coverage_days",
            "Coverage",
            block["coverage_days"] if role == "replacement" else None,  # originals are meant to run down
            days(block["coverage_days"]),
            "On hand / burn",
            accent=accent,
        ),
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
    leakage_help = (
        "The group has no last order date nor start date"
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
        judged(
            "stranded_ea",
            STRANDED_LABELS[stranded["policy"]],
            stranded["on_hand_ea"],
            f"{ea(stranded['on_hand_ea'])} EA",
            _stranded_help(stranded),
        ),
        judged("leakage_spend", "Purchase leakage", leakage["po_spend"], money(leakage["po_spend"]), leakage_help),
    ]


def price(value: float | None) -> str:
    return DASH if value is None else f"${value:,.4f}"  # per each: cents are too coarse


def outcome_cards(outcome: dict[str, Any], *, prices: bool = True) -> list[Card]:
    """The "Conversion outcome" row: equivalent units, coverage, compliance and savings (with the two prices,
    so a person can check the savings; the formulas show on hover)."""
    savings_help = (
        f"Originals' price {price(outcome['p_o'])} less the replacement's {price(outcome['p_r'])}, over a year"
        if prices
        else "Summed over the groups that have both prices"
    )
    return [
        Card(
            "demand_equiv_per_day",
            "Demand, equivalent EA/day",
            rate(outcome["demand_equiv_per_day"]),
            "Replacement burn + original burn x ratio",
        ),
        Card(
            "combined_coverage_days",
            "Combined coverage",
            days(outcome["combined_coverage_days"]),
            f"{ea(outcome['supply_equiv'])} equivalent EA on hand",
        ),
        judged(
            "cutover_coverage_days",
            "Cut-over coverage",
            outcome["cutover_coverage_days"],
            days(outcome["cutover_coverage_days"]),
            "Replacement on hand / all the demand",
        ),
        judged(
            "compliance_pct",
            "Compliance",
            outcome["compliance_pct"],
            pct(outcome["compliance_pct"]),
            "Share of equivalent EA bought as replacement since the start (90 days at most)",
        ),
        *(
            [
                Card(
                    "p_o",
                    "Baseline price, originals",
                    price(outcome["p_o"]),
                    "Per equivalent each, the year before the start",
                ),
                Card(
                    "p_r",
                    "Replacement price",
                    price(outcome["p_r"]),
                    "Per each, the last 90 days, else the latest priced line",
                ),
            ]
            if prices
            else []
        ),
        judged(
            "projected_annual_savings",
            "Projected savings / year",
            outcome["projected_annual_savings"],
            money(outcome["projected_annual_savings"]),
            savings_help,
            tip="(baseline price - replacement price) x equivalent demand per day x 365" if prices else "",
        ),
        judged(
            "realised_savings",
            "Realised savings",
            outcome["realised_savings"],
            money(outcome["realised_savings"]),
            "Replacement lines since the start, at the price difference",
            tip="Sum over the replacement's PO lines since the start of qty x (baseline price - line price)",
        ),
    ]


def item_cards(kpis: dict[str, Any]) -> list[Card]:
    accent = {"original": "warning", "replacement": "success"}.get(kpis["role"] or "", "")
    return [
        *role_cards(kpis, kpis["role"] or "item"),
        Card("run_out_date", "Runs out", run_out_day(kpis), "As of + on hand / burn", accent),
    ]


GROUP_SERIES = [("original_", "Originals"), ("replacement_", "Replacements")]
ITEM_SERIES = [("", "This item")]


def _every_day(rows: list[dict[str, Any]], start: date, end: date) -> list[dict[str, Any]]:
    """Daily rows on every day from start to end; a day without a row has no values (the line spans it)."""
    found = {row["date"]: row for row in rows}
    return [
        found.get(start + timedelta(days=n), {"date": start + timedelta(days=n)}) for n in range((end - start).days + 1)
    ]


def first_day_with(rows: list[dict[str, Any]]) -> date | None:
    """The first day of the daily rows that has a value (where the snapshots begin), None when none has."""
    return next((row["date"] for row in rows if any(v is not None for k, v in row.items() if k != "date")), None)


# Every axis says its unit: (x title, y title) per chart.
AXES = {
    "on_hand": ("Day", "On hand (EA)"),
    "burn": ("Day", "Burn (EA per day)"),
    "po_weekly": ("Week starting (Monday)", "PO spend (US$)"),
    "compliance": ("Week starting (Monday)", "Bought as replacement (%)"),
    "stages": ("Stage", "Locations"),
}


def chart_data(trends: dict[str, Any], series: list[tuple[str, str]]) -> dict[str, Any]:
    """What charts.js draws: per chart, its type, date labels, axis titles and one dataset per series.

    Every chart spans the same days, trends["start"] to trends["end"]: the
    daily ones label each day, the weekly one each week (0 where nothing was bought).
    """

    def chart(kind: str, rows: list[dict[str, Any]], measure: str, name: str) -> dict[str, Any]:
        return {
            "type": kind,
            "x_title": AXES[name][0],
            "y_title": AXES[name][1],
            "labels": [row["date"].isoformat() for row in rows],
            "datasets": [
                {
                    "label": label,
                    "role": prefix.rstrip("_") or "item",
                    "data": [row.get(prefix + measure) for row in rows],
                }
                for prefix, label in series
            ],
        }

    start, end = trends["start"], trends["end"]
    return {
        "on_hand": chart("line", _every_day(trends["on_hand"], start, end), "on_hand_ea", "on_hand"),
        "burn": chart("line", _every_day(trends["burn"], start, end), "burn_ea_per_day", "burn"),
        "po_weekly": chart("bar", trends["po_weekly"], "po_spend", "po_weekly"),
    }


def compliance_chart(weeks: list[dict[str, Any]]) -> dict[str, Any]:
    """The weekly compliance line (0-100 %), one point per week; a week without purchases is a gap.
    Each point carries the purchases behind it (replacement EA, originals in equivalent EA) for its tooltip."""
    return {
        "type": "line",
        "unit": "pct",
        "gaps": True,
        "x_title": AXES["compliance"][0],
        "y_title": AXES["compliance"][1],
        "labels": [week["date"].isoformat() for week in weeks],
        "purchases": [
            f"{ea(w['replacement_qty'])} EA of replacements, {ea(w['original_equiv_qty'])} equivalent EA of originals"
            for w in weeks
        ],
        "datasets": [
            {"label": "Bought as replacement", "role": "replacement", "data": [w["compliance_pct"] for w in weeks]}
        ],
    }


STAGE_COLOURS = {
    "not_set_up": "#b02a37",
    "set_up": "#d9822b",
    "ready": "#0b4f6c",
    "live": "#3d8bfd",
    "converted": "#1b8a6b",
}


def stage_chart(counts: dict[str, int]) -> dict[str, Any]:
    """The group's locations by stage: one bar per stage."""
    return {
        "type": "bar",
        "legend": False,
        "counts": True,
        "x_title": AXES["stages"][0],
        "y_title": AXES["stages"][1],
        "labels": [STAGE_LABELS[stage] for stage in STAGES],
        "datasets": [
            {
                "label": "Locations",
                "colours": [STAGE_COLOURS[stage] for stage in STAGES],
                "data": [counts.get(stage, 0) for stage in STAGES],
            }
        ],
    }


def stages_by_group_chart(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """The top groups' locations by stage: one stacked bar per group, one colour per stage."""
    return {
        "type": "bar",
        "stacked": True,
        "horizontal": True,
        "x_title": "Locations",
        "labels": [group["title"] for group in groups],
        "datasets": [
            {
                "label": STAGE_LABELS[stage],
                "colour": STAGE_COLOURS[stage],
                "data": [group["stage_counts"].get(stage, 0) for group in groups],
            }
            for stage in STAGES
        ],
    }

"""Conversion outcome arithmetic: equivalent units, compliance and savings. No ORM here.

docs/DESIGN.md, "Conversion outcome". Every figure is in the
replacement's eaches ("equivalent EA"): an original each counts as `f(i)`
replacement eaches, the average ratio of its links to members of its group.
`dashboard.queries.outcomes` sums the rows per item in the database; this
module applies the factors, adds the items up per group (`OutcomeSums`) and
derives the figures from those sums, so every formula can be checked without
a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dashboard.kpis import Number, figure

ONE = Decimal(1)
ZERO = Decimal(0)
COMPLIANCE_DAYS = 90  # compliance looks back at most this far from as_of
BASELINE_DAYS = 365  # p_o: the year of buying before B
RECENT_DAYS = 90  # p_r: the replacements' recent buying
# The longest any chart reaches back from as_of (pages and timeseries JSON), whatever as_of or the
# start date: a chart of every week since a start centuries before as_of was 20 MB of page.
MAX_TREND_DAYS = 730

OUTCOME_FIELDS = (
    "demand_equiv_per_day",
    "supply_equiv",
    "combined_coverage_days",
    "cutover_coverage_days",
    "compliance_pct",
    "p_o",
    "p_r",
    "projected_annual_savings",
    "realised_savings",
)


def factor(ratios: Iterable[Number]) -> Decimal:
    """f(i): the average ratio of an original's links to members of its group; 1 when it has none."""
    values = [Decimal(r) for r in ratios]
    return sum(values, ZERO) / len(values) if values else ONE


def factors(links: Iterable[tuple[int, Number]]) -> dict[int, Decimal]:
    """f(i) per original item from its (item_id, ratio) links; items not named here have f = 1."""
    ratios: dict[int, list[Number]] = defaultdict(list)
    for item_id, ratio in links:
        ratios[item_id].append(ratio)
    return {item_id: factor(values) for item_id, values in ratios.items()}


def baseline_end(start_date: date | None, as_of: date) -> date:
    """B, the end (exclusive) of p_o's window: start_date when it is on or before as_of, else as_of."""
    return start_date if start_date is not None and start_date <= as_of else as_of


def compliance_start(start_date: date | None, as_of: date) -> date | None:
    """First day of compliance's window, max(start_date, as_of - 90); None before the start (no compliance)."""
    if start_date is None or start_date > as_of:
        return None
    return max(start_date, as_of - timedelta(days=COMPLIANCE_DAYS))


def share_pct(replacement_qty: Number, original_equiv_qty: Number) -> float | None:
    """100 x replacement / (replacement + originals in equivalent EA); None when both are 0."""
    total = Decimal(replacement_qty) + Decimal(original_equiv_qty)
    if not total:
        return None
    return figure(100 * Decimal(replacement_qty) / total, "pct")


def unit_price(spend: Number, qty: Number) -> Decimal | None:
    """Spend per each; None when no quantity was bought."""
    return Decimal(spend) / Decimal(qty) if qty else None


@dataclass
class OutcomeSums:
    """One group's sums, in equivalent EA where they involve originals (qty x f(i), on-hand x f(i), ...).

    PO sums over priced lines only, except the compliance quantities (every
    line counts there). `latest_price` is the replacements' latest priced line
    on or before as_of, p_r's fallback.
    """

    replacement_on_hand: Decimal = ZERO
    original_on_hand_equiv: Decimal = ZERO
    replacement_burn: Decimal = ZERO
    original_burn_equiv: Decimal = ZERO
    compliance_replacement_qty: Decimal = ZERO
    compliance_original_equiv: Decimal = ZERO
    baseline_spend: Decimal = ZERO  # originals, B - 365 days <= po_date < B
    baseline_equiv_qty: Decimal = ZERO
    recent_spend: Decimal = ZERO  # replacements, as_of - 90 days <= po_date <= as_of
    recent_qty: Decimal = ZERO
    since_start_spend: Decimal = ZERO  # replacements, start_date < po_date <= as_of
    since_start_qty: Decimal = ZERO
    latest_price: Decimal | None = None

    def add_stock(self, role: str, f: Decimal, on_hand: Number | None, burn: Number | None) -> None:
        on_hand, burn = Decimal(on_hand or 0), Decimal(burn or 0)
        if role == "replacement":
            self.replacement_on_hand += on_hand
            self.replacement_burn += burn
        elif role == "original":
            self.original_on_hand_equiv += on_hand * f
            self.original_burn_equiv += burn * f

    def add_lines(self, role: str, f: Decimal, row: Mapping[str, Number | None]) -> None:
        """An item's PO sums per window (keys as `dashboard.queries.outcomes` names them)."""
        get = lambda key: Decimal(row.get(key) or 0)  # noqa: E731 (a one-line reader)
        if role == "replacement":
            self.compliance_replacement_qty += get("compliance_qty")
            self.recent_spend += get("recent_spend")
            self.recent_qty += get("recent_qty")
            self.since_start_spend += get("since_start_spend")
            self.since_start_qty += get("since_start_qty")
        elif role == "original":
            self.compliance_original_equiv += get("compliance_qty") * f
            self.baseline_spend += get("baseline_spend")
            self.baseline_equiv_qty += get("baseline_qty") * f

    @property
    def demand(self) -> Decimal:
        return self.replacement_burn + self.original_burn_equiv

    @property
    def supply(self) -> Decimal:
        return self.replacement_on_hand + self.original_on_hand_equiv

    def __add__(self, other: OutcomeSums) -> OutcomeSums:
        """Pooled sums (the overview); latest_price has no pooled meaning and is dropped."""
        pooled = {
            f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self) if f.name != "latest_price"
        }
        return OutcomeSums(**pooled)


def p_o(sums: OutcomeSums) -> Decimal | None:
    """Baseline price per equivalent each: original spend / original qty x f(i) over B's year."""
    return unit_price(sums.baseline_spend, sums.baseline_equiv_qty)


def p_r(sums: OutcomeSums) -> Decimal | None:
    """Replacement price: spend / qty over the last 90 days, else the latest priced line's price."""
    recent = unit_price(sums.recent_spend, sums.recent_qty)
    return recent if recent is not None else sums.latest_price


def ratio_days(stock: Decimal, demand: Decimal) -> float | None:
    return figure(stock / demand, "days") if demand else None


def realised_savings(sums: OutcomeSums, baseline: Decimal | None, start_date: date | None) -> Decimal | None:
    """Sum over replacement lines after start_date of qty x (p_o - price) = p_o x qty - spend.

    None without start_date; 0 when no line qualifies; None when lines qualify
    but there is no baseline price to compare them with.
    """
    if start_date is None:
        return None
    if not sums.since_start_qty and not sums.since_start_spend:
        return ZERO
    if baseline is None:
        return None
    return baseline * sums.since_start_qty - sums.since_start_spend


def outcome(sums: OutcomeSums, start_date: date | None, as_of: date) -> dict[str, float | None]:
    """The nine outcome figures of one group, as JSON numbers (null where undefined)."""
    demand = sums.demand
    baseline, replacement = p_o(sums), p_r(sums)
    projected = None
    if baseline is not None and replacement is not None:
        projected = (baseline - replacement) * demand * 365
    started = compliance_start(start_date, as_of) is not None
    return {
        "demand_equiv_per_day": figure(demand, "burn"),
        "supply_equiv": figure(sums.supply, "equiv"),
        "combined_coverage_days": ratio_days(sums.supply, demand),
        "cutover_coverage_days": ratio_days(sums.replacement_on_hand, demand),
        "compliance_pct": (
            share_pct(sums.compliance_replacement_qty, sums.compliance_original_equiv) if started else None
        ),
        "p_o": figure(baseline, "price"),
        "p_r": figure(replacement, "price"),
        "projected_annual_savings": figure(projected, "money"),
        "realised_savings": figure(realised_savings(sums, baseline, start_date), "money"),
    }


def pooled_outcome(groups: Iterable[tuple[OutcomeSums, date | None, dict[str, Any]]], as_of: date) -> dict:
    """The overview's outcome over many groups: (sums, start_date, the group's outcome) each.

    Demand, supply and both coverages from the pooled sums; compliance pooled
    over the groups that have started; savings are the sums of the groups'
    figures (groups where one is null add nothing; null when all are). Prices
    are per conversion (a glove's and a syringe's price per each do not pool):
    p_o and p_r are null here.
    """
    total = OutcomeSums()
    started = OutcomeSums()
    savings: dict[str, float | None] = {"projected_annual_savings": None, "realised_savings": None}
    any_started = False
    for sums, start_date, figures in groups:
        total += sums
        if compliance_start(start_date, as_of) is not None:
            started += sums
            any_started = True
        for name in savings:
            if figures[name] is not None:
                savings[name] = (savings[name] or 0) + figures[name]
    pooled = replace(
        total,
        compliance_replacement_qty=started.compliance_replacement_qty,
        compliance_original_equiv=started.compliance_original_equiv,
    )
    return pooled_figures(pooled, any_started, savings)


def pooled_figures(total: OutcomeSums, any_started: bool, savings: Mapping[str, float | None]) -> dict:
    """The pooled outcome from the pooled sums: stock and burn over every group, the compliance quantities over
    the started groups only (`any_started`: at least one), and the summed savings (null: no group has one)."""
    demand = total.demand
    return {
        "demand_equiv_per_day": figure(demand, "burn"),
        "supply_equiv": figure(total.supply, "equiv"),
        "combined_coverage_days": ratio_days(total.supply, demand),
        "cutover_coverage_days": ratio_days(total.replacement_on_hand, demand),
        "compliance_pct": (
            share_pct(total.compliance_replacement_qty, total.compliance_original_equiv) if any_started else None
        ),
        "p_o": None,
        "p_r": None,
        **{name: figure(savings[name], "money") for name in ("projected_annual_savings", "realised_savings")},
    }


def week_start(day: date) -> date:
    """The Monday of the day's week (weeks start on Monday, like the PO charts)."""
    return day - timedelta(days=day.weekday())


def weeks(start: date, end: date) -> list[date]:
    """Every week's Monday from start's week to end's week: the axis of a weekly chart, no gaps."""
    first, last = week_start(start), week_start(end)
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def weekly_compliance(
    rows: Iterable[tuple[date, str, int, Number]], item_factors: Mapping[int, Decimal], start: date, end: date
) -> list[dict[str, Any]]:
    """Per week (start to end): the share of equivalent units bought as replacement, from (week, role,
    item_id, qty) rows, with the quantities behind it; a week without purchases has no share (a gap, not 0 %)."""
    bought: dict[date, list[Decimal]] = {week: [ZERO, ZERO] for week in weeks(start, end)}
    for week, role, item_id, qty in rows:
        cell = bought.setdefault(week_start(week), [ZERO, ZERO])
        if role == "replacement":
            cell[0] += Decimal(qty)
        elif role == "original":
            cell[1] += Decimal(qty) * item_factors.get(item_id, ONE)
    return [
        {
            "date": week,
            "replacement_qty": figure(repl, "ea"),
            "original_equiv_qty": figure(orig, "equiv"),
            "compliance_pct": share_pct(repl, orig),
        }
        for week, (repl, orig) in sorted(bought.items())
    ]

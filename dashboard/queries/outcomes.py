"""Conversion outcomes read set-based: equivalent units, compliance and savings for any number of groups.

Four statements whatever the number of groups (docs/DESIGN.md,
"Conversion outcome"):

1. the groups, with their start date and the replacements' latest priced PO
   line on or before as_of (p_r's fallback);
2. the ratios of the originals' links inside their group (for f(i));
3. on-hand and burn per member item over its stock pairs (location filter);
4. PO quantity and spend per member item in each window (no location filter):
   compliance max(start_date, as_of - 90) <= po_date <= as_of, the baseline
   year B - 365 <= po_date < B, the replacements' last 90 days and the lines
   after start_date. The windows depend on each group's start date, so they
   are conditions on the joined group row, not parameters.

`dashboard.outcomes` applies the factors and derives the figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DateField,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncWeek

from collector.models import ItemGroup, ItemLink
from dashboard import outcomes
from dashboard.kpis import figure
from dashboard.outcomes import OutcomeSums
from dashboard.queries.base import ROLES, Filters, as_date, membership_lookups, stock_pairs, sums_over_subqueries, total
from plmtracker.inventory.models import Item, ItemLocation, PoLine

# The lines are annotated with their group's start date first: a condition on
# the joined group inside an aggregate's filter would turn the membership joins
# into outer ones, and the scan would start from every PO line.
START = F("group_start")


def _scope(group_ids: Iterable[int] | None, status: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Lookups choosing the groups: on ItemGroup, and on a membership (for `_member`)."""
    groups: dict[str, Any] = {}
    members: dict[str, Any] = {"role__in": ROLES}
    if group_ids is not None:
        # A queryset stays a subquery (SQL Server takes at most 2,100 parameters); ids become a list.
        chosen = group_ids if isinstance(group_ids, QuerySet) else list(group_ids)
        groups["group_id__in"] = members["group_id__in"] = chosen
    if status is not None:
        groups["status"] = members["group__status"] = status
    return groups, members


def latest_replacement_price(as_of: date) -> Subquery:
    """The price on the outer group's replacements' latest priced PO line on or before as_of (ties: greater id)."""
    lines = PoLine.objects.filter(
        price__isnull=False, po_date__lte=as_of, **membership_lookups(group_id=OuterRef("group_id"), role="replacement")
    ).order_by("-po_date", "-po_line_id")
    return Subquery(lines.values("price")[:1])


class DaysBefore(Func):
    """`day` minus `days` days, as a date.

    Django writes date arithmetic on SQLite as a call to a Python function per
    row; SQLite's own date() does it in C, several times faster over every PO
    line. Elsewhere Django's own arithmetic (native on those databases).
    """

    output_field = DateField()

    def __init__(self, day: Expression, days: int):
        self.days = days
        super().__init__(day, ExpressionWrapper(day - timedelta(days=days), output_field=DateField()))

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, %s)", (*params, f"-{self.days} days")


def _windows(as_of: date) -> dict[str, Q]:
    """Each PO window as a condition on the line and its group's start date (lines are already <= as_of).

    No condition tests the start date for NULL: that would make the joins to
    the membership outer ones, and the scan would start from every PO line.
    """
    priced = Q(price__isnull=False)
    started = Q(group_start__lte=as_of)
    baseline_end = Case(When(started, then=START), default=Value(as_of), output_field=DateField())
    return {
        "compliance": started
        & Q(po_date__gte=START)
        & Q(po_date__gte=as_of - timedelta(days=outcomes.COMPLIANCE_DAYS)),
        "baseline": priced & Q(po_date__lt=baseline_end, po_date__gte=DaysBefore(baseline_end, outcomes.BASELINE_DAYS)),
        "recent": priced & Q(po_date__gte=as_of - timedelta(days=outcomes.RECENT_DAYS)),
        "since_start": priced & Q(po_date__gt=START),
    }


def _line_sums(filters: Filters, members: dict[str, Any]) -> QuerySet:
    """Per member item: quantity (and spend) in each window."""
    windows = _windows(filters.as_of)
    spend = F("qty_ea") * F("price")
    sums = {
        "compliance_qty": Sum("qty_ea", filter=windows["compliance"]),
        "baseline_qty": Sum("qty_ea", filter=windows["baseline"]),
        "baseline_spend": Sum(spend, filter=windows["baseline"]),
        "recent_qty": Sum("qty_ea", filter=windows["recent"]),
        "recent_spend": Sum(spend, filter=windows["recent"]),
        "since_start_qty": Sum("qty_ea", filter=windows["since_start"]),
        "since_start_spend": Sum(spend, filter=windows["since_start"]),
    }
    # No filter on the windows themselves: an OR of them would let a database
    # scan every group's PO lines by date instead of each member's by item.
    lines = PoLine.objects.filter(po_date__lte=filters.as_of, **membership_lookups(**members)).annotate(
        group_start=F("item__membership__group__start_date")
    )
    return (
        lines.order_by()
        .values("item_id", group_id=F("item__membership__group_id"), role=F("item__membership__role"))
        .annotate(**sums)
    )


def _stock_sums(filters: Filters, members: dict[str, Any]) -> QuerySet:
    """Per member item: on-hand (as of as_of: `dashboard.queries.onhand`) and burn over its stock pairs
    (the chosen location only, if given)."""
    if sums_over_subqueries(ItemLocation):
        pairs = stock_pairs(filters, **membership_lookups(**members))
        return (
            pairs.order_by()
            .values("item_id", group_id=F("item__membership__group_id"), role=F("item__membership__role"))
            .annotate(stock_on_hand=Sum("on_hand"), stock_burn=Sum("burn"))
        )
    # SQL Server cannot SUM((SELECT ...)): a correlated derived table per item.
    pairs = stock_pairs(filters, item_id=OuterRef("item_id"))
    return (
        Item.objects.filter(**membership_lookups("", **members))
        .annotate(stock_on_hand=total(pairs, F("on_hand")), stock_burn=total(pairs, F("burn")))
        .order_by()
        .values(
            "item_id", "stock_on_hand", "stock_burn", group_id=F("membership__group_id"), role=F("membership__role")
        )
    )


def item_factors(members: dict[str, Any]) -> dict[int, Any]:
    """f(i) of the chosen originals that have links inside their group (the others have f = 1)."""
    links = ItemLink.objects.filter(
        replace_item__membership__group_id=F("item__membership__group_id"), **membership_lookups(**members)
    ).filter(item__membership__role="original")
    return outcomes.factors(links.order_by().values_list("item_id", "ratio"))


def outcome_sums(
    filters: Filters, group_ids: Iterable[int] | None = None, status: str | None = None
) -> dict[int, tuple[date | None, OutcomeSums]]:
    """Per chosen group: its start date and its outcome sums, from four statements."""
    return _outcome_sums(filters, group_ids, status)[0]


def _outcome_sums(
    filters: Filters, group_ids: Iterable[int] | None, status: str | None, stock: Iterable[dict] | None = None
) -> tuple[dict[int, tuple[date | None, OutcomeSums]], dict[int, Decimal]]:
    """The sums per group and the factors; `stock` (rows with group_id, item_id, role, stock_on_hand,
    stock_burn) saves the stock statement when the caller has already summed it."""
    group_lookups, members = _scope(group_ids, status)
    groups = ItemGroup.objects.filter(**group_lookups).annotate(latest_price=latest_replacement_price(filters.as_of))
    result: dict[int, tuple[date | None, OutcomeSums]] = {
        group_id: (start_date, OutcomeSums(latest_price=price))
        for group_id, start_date, price in groups.order_by().values_list("group_id", "start_date", "latest_price")
    }
    f = item_factors(members)
    for row in _stock_sums(filters, members) if stock is None else stock:
        result[row["group_id"]][1].add_stock(
            row["role"], f.get(row["item_id"], outcomes.ONE), row["stock_on_hand"], row["stock_burn"]
        )
    for row in _line_sums(filters, members):
        result[row["group_id"]][1].add_lines(row["role"], f.get(row["item_id"], outcomes.ONE), row)
    return result, f


def group_outcomes(filters: Filters, group_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """The outcome figures (`dashboard.outcomes.OUTCOME_FIELDS`) of each group, keyed by group_id.

    `group_ids` None means every group; a queryset of group ids (`.values("group_id")`) is used as a
    subquery, anything else as a list of ids. Four statements for any number of
    groups. Stock and burn follow filters.location_id; PO-based figures do not.
    """
    return {
        group_id: outcomes.outcome(sums, start_date, filters.as_of)
        for group_id, (start_date, sums) in outcome_sums(filters, group_ids).items()
    }


def group_outcome(
    filters: Filters, group_id: int, members: Iterable[dict[str, Any]]
) -> tuple[dict[str, Any], dict[int, Decimal]]:
    """One group's outcome and the f(i) of its originals that have links (the others' is 1), from its member
    rows (`member_rows`: their on-hand and burn) and three statements."""
    stock = (
        {
            "group_id": group_id,
            "item_id": row["item_id"],
            "role": row["role"],
            "stock_on_hand": row["on_hand_ea"],
            "stock_burn": row["burn_ea_per_day"],
        }
        for row in members
    )
    sums, factors = _outcome_sums(filters, [group_id], None, stock)
    start_date, group_sums = sums[group_id]
    return outcomes.outcome(group_sums, start_date, filters.as_of), factors


def member_equivalents(item: dict[str, Any], factors: dict[int, Decimal]) -> dict[str, float | None]:
    """A member's f(i) and its on-hand and burn in equivalent EA: x f(i) for an original, as they are for a
    replacement; null for a member without a role (it counts in neither)."""
    if item["role"] not in ROLES:
        return {"factor": None, "supply_equiv": None, "demand_equiv_per_day": None}
    f = factors.get(item["item_id"], outcomes.ONE) if item["role"] == "original" else outcomes.ONE
    return {
        "factor": figure(f, "price"),
        "supply_equiv": figure(Decimal(str(item["on_hand_ea"])) * f, "equiv"),
        "demand_equiv_per_day": figure(Decimal(str(item["burn_ea_per_day"])) * f, "burn"),
    }


def active_outcomes(filters: Filters) -> tuple[dict[int, dict], dict[str, Any]]:
    """Every active group's outcome, and the overview's pooled outcome over them (four statements)."""
    sums = outcome_sums(filters, status="active")
    per_group = {
        group_id: outcomes.outcome(group_sums, start_date, filters.as_of)
        for group_id, (start_date, group_sums) in sums.items()
    }
    pooled = outcomes.pooled_outcome(
        ((group_sums, start_date, per_group[group_id]) for group_id, (start_date, group_sums) in sums.items()),
        filters.as_of,
    )
    return per_group, pooled


def overview(filters: Filters, limit: int | None = None) -> dict[str, Any]:
    """The overview's cards and top groups (`overview_kpis`, `overview_groups`), each with its outcome."""
    from dashboard.queries.overview import TOP_GROUPS, overview_groups, overview_kpis

    per_group, pooled = active_outcomes(filters)
    groups = overview_groups(filters, TOP_GROUPS if limit is None else limit)
    return overview_kpis(filters) | {
        "outcome": pooled,
        "top_groups": [group | {"outcome": per_group[group["group_id"]]} for group in groups],
    }


def compliance_trend(group_id: int, start: date, end: date) -> list[dict[str, Any]]:
    """The group's weekly compliance from start to end (two statements; no location filter: PO lines)."""
    members = _scope([group_id], None)[1]
    rows = (
        PoLine.objects.filter(po_date__gte=start, po_date__lte=end, **membership_lookups(**members))
        .annotate(week=TruncWeek("po_date"))
        .order_by()
        .values_list("week", "item__membership__role", "item_id")
        .annotate(qty=Sum("qty_ea"))
    )
    weekly = [(as_date(week), role, item_id, qty) for week, role, item_id, qty in rows]
    return outcomes.weekly_compliance(weekly, item_factors(members), start, end)

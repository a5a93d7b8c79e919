"""Conversion outcomes read set-based: equivalent units, compliance and savings for any number of groups.

Four statements whatever the number of groups (DESIGN.md, "Conversion plans
and outcomes"):

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
from typing import Any

from django.db.models import DateField, Expression, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncWeek

from collector.models import ItemGroup, ItemLink
from dashboard import outcomes
from dashboard.outcomes import OutcomeSums
from dashboard.queries import ROLES, Filters, _as_date, _member, _total, stock_pairs, sums_over_subqueries
from plmtracker.models import Item, ItemLocation, PoLine

GROUP = "item__membership__group"
START = F(f"{GROUP}__start_date")


def on_hand(filters: Filters) -> Expression:
    """The stock pair's on-hand at filters.as_of (today's item_location figure)."""
    return F("on_hand_ea")


def _scope(group_ids: Iterable[int] | None, status: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Lookups choosing the groups: on ItemGroup, and on a membership (for `_member`)."""
    groups: dict[str, Any] = {}
    members: dict[str, Any] = {"role__in": ROLES}
    if group_ids is not None:
        groups["group_id__in"] = members["group_id__in"] = list(group_ids)
    if status is not None:
        groups["status"] = members["group__status"] = status
    return groups, members


def latest_replacement_price(as_of: date) -> Subquery:
    """The price on the outer group's replacements' latest priced PO line on or before as_of (ties: greater id)."""
    lines = PoLine.objects.filter(
        price__isnull=False, po_date__lte=as_of, **_member(group_id=OuterRef("group_id"), role="replacement")
    ).order_by("-po_date", "-po_line_id")
    return Subquery(lines.values("price")[:1])


def _days_before(day: F, days: int) -> ExpressionWrapper:
    return ExpressionWrapper(day - timedelta(days=days), output_field=DateField())


def _windows(as_of: date) -> dict[str, Q]:
    """Each PO window as a condition on the line and its group's start date (lines are already <= as_of)."""
    priced = Q(price__isnull=False)
    started = Q(**{f"{GROUP}__start_date__lte": as_of})
    not_started = Q(**{f"{GROUP}__start_date__isnull": True}) | Q(**{f"{GROUP}__start_date__gt": as_of})
    baseline = priced & (
        (started & Q(po_date__lt=START, po_date__gte=_days_before(START, outcomes.BASELINE_DAYS)))
        | (not_started & Q(po_date__lt=as_of, po_date__gte=as_of - timedelta(days=outcomes.BASELINE_DAYS)))
    )
    return {
        "compliance": started
        & Q(po_date__gte=START)
        & Q(po_date__gte=as_of - timedelta(days=outcomes.COMPLIANCE_DAYS)),
        "baseline": baseline,
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
    lines = PoLine.objects.filter(po_date__lte=filters.as_of, **_member(**members))
    lines = lines.filter(windows["compliance"] | windows["baseline"] | windows["recent"] | windows["since_start"])
    return (
        lines.order_by()
        .values("item_id", group_id=F("item__membership__group_id"), role=F("item__membership__role"))
        .annotate(**sums)
    )


def _stock_sums(filters: Filters, members: dict[str, Any]) -> QuerySet:
    """Per member item: on-hand and burn over its stock pairs (the chosen location only, if given)."""
    if sums_over_subqueries(ItemLocation):
        pairs = stock_pairs(filters, **_member(**members)).annotate(stock=on_hand(filters))
        return (
            pairs.order_by()
            .values("item_id", group_id=F("item__membership__group_id"), role=F("item__membership__role"))
            .annotate(on_hand=Sum("stock"), burn=Sum("burn"))
        )
    # SQL Server cannot SUM((SELECT ...)): a correlated derived table per item.
    pairs = stock_pairs(filters, item_id=OuterRef("item_id"))
    return (
        Item.objects.filter(**_member("", **members))
        .annotate(
            on_hand=_total(pairs, on_hand(filters)),
            burn=_total(pairs, F("burn")),
        )
        .order_by()
        .values("item_id", "on_hand", "burn", group_id=F("membership__group_id"), role=F("membership__role"))
    )


def item_factors(members: dict[str, Any]) -> dict[int, Any]:
    """f(i) of the chosen originals that have links inside their group (the others have f = 1)."""
    links = ItemLink.objects.filter(
        replace_item__membership__group_id=F("item__membership__group_id"), **_member(**members)
    ).filter(item__membership__role="original")
    return outcomes.factors(links.order_by().values_list("item_id", "ratio"))


def outcome_sums(
    filters: Filters, group_ids: Iterable[int] | None = None, status: str | None = None
) -> dict[int, tuple[date | None, OutcomeSums]]:
    """Per chosen group: its start date and its outcome sums, from four statements."""
    group_lookups, members = _scope(group_ids, status)
    groups = ItemGroup.objects.filter(**group_lookups).annotate(latest_price=latest_replacement_price(filters.as_of))
    result: dict[int, tuple[date | None, OutcomeSums]] = {
        group_id: (start_date, OutcomeSums(latest_price=price))
        for group_id, start_date, price in groups.order_by().values_list("group_id", "start_date", "latest_price")
    }
    f = item_factors(members)
    for row in _stock_sums(filters, members):
        result[row["group_id"]][1].add_stock(
            row["role"], f.get(row["item_id"], outcomes.ONE), row["on_hand"], row["burn"]
        )
    for row in _line_sums(filters, members):
        result[row["group_id"]][1].add_lines(row["role"], f.get(row["item_id"], outcomes.ONE), row)
    return result


def group_outcomes(filters: Filters, group_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """The outcome figures (`dashboard.outcomes.OUTCOME_FIELDS`) of each group, keyed by group_id.

    `group_ids` None means every group. Four statements for any number of
    groups. Stock and burn follow filters.location_id; PO-based figures do not.
    """
    return {
        group_id: outcomes.outcome(sums, start_date, filters.as_of)
        for group_id, (start_date, sums) in outcome_sums(filters, group_ids).items()
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
    from dashboard.queries import TOP_GROUPS, overview_groups, overview_kpis

    per_group, pooled = active_outcomes(filters)
    groups = overview_groups(filters, TOP_GROUPS if limit is None else limit)
    return overview_kpis(filters) | {
        "outcome": pooled,
        "top_groups": [group | {"outcome": per_group[group["group_id"]]} for group in groups],
    }


def trend_start(start_date: date | None, as_of: date, days: int) -> date:
    """The first day of a group page's charts: as_of - days, or 12 weeks before start_date if that is earlier."""
    first = as_of - timedelta(days=days)
    if start_date is not None and start_date <= as_of:
        first = min(first, start_date - outcomes.TREND_LEAD)
    return first


def compliance_trend(group_id: int, start: date, end: date) -> list[dict[str, Any]]:
    """The group's weekly compliance from start to end (two statements; no location filter: PO lines)."""
    members = _scope([group_id], None)[1]
    rows = (
        PoLine.objects.filter(po_date__gte=start, po_date__lte=end, **_member(**members))
        .annotate(week=TruncWeek("po_date"))
        .order_by()
        .values_list("week", "item__membership__role", "item_id")
        .annotate(qty=Sum("qty_ea"))
    )
    weekly = [(_as_date(week), role, item_id, qty) for week, role, item_id, qty in rows]
    return outcomes.weekly_compliance(weekly, item_factors(members), start, end)

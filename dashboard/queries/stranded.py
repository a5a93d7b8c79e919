"""Stranded stock of many groups at once (docs/DESIGN.md, "Stranded stock"), for lists: the overview,
its export and attention's `stranded_now`. One group's figure comes with its KPIs (`group.group_kpis`).

The rule's days differ per policy and per row (`immediate`: the go-live of the row's location), so one
statement reads every original stock pair of the chosen groups with its on-hand, burn, price, the group's
policy and dates and the effective go-live there, and `dashboard.rules` is applied to each row.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, QuerySet

from collector.golive import effective_go_live_sql
from dashboard.kpis import figure
from dashboard.queries.base import Filters, latest_price, stock_pairs
from dashboard.rules import stranded_days, stranded_ea

Stranded = dict[str, float | None]


def stranded_by_group(filters: Filters, group_ids: QuerySet) -> dict[int, tuple[Decimal, Decimal]]:
    """Per group of `group_ids` (a queryset of group ids: no long IN list reaches the database): the
    originals' stranded EA and value by the group's policy, at the chosen location if one is given.

    A group none of whose rows the rule applies to (no original stock; `use_until_end` without an end
    date; `immediate` without a go-live at any of its rows' locations) is left out.
    """
    pairs = stock_pairs(filters, item__membership__group_id__in=group_ids, item__membership__role="original")
    rows = pairs.annotate(
        group_ref=F("item__membership__group_id"),
        policy=F("item__membership__group__use_up_policy"),
        end_date=F("item__membership__group__end_date"),
        go_live=effective_go_live_sql("group_ref", "location_id", "item__membership__group__start_date"),
        price=latest_price(filters.as_of),
    ).values_list("group_ref", "policy", "end_date", "go_live", "on_hand", "burn", "price")
    sums: dict[int, tuple[Decimal, Decimal]] = {}
    for group_id, policy, end_date, go_live, on_hand, burn, price in rows:
        ea = stranded_ea(on_hand, burn, stranded_days(policy, filters.as_of, end_date, go_live))
        if ea is None:
            continue  # immediate, and no go-live at the row's location: left out
        total_ea, value = sums.get(group_id, (Decimal(0), Decimal(0)))
        sums[group_id] = (total_ea + ea, value + (ea * price if price is not None else 0))
    return sums


def stranded_figures(group: dict, sums: dict[int, tuple[Decimal, Decimal]]) -> Stranded:
    """A group row's `stranded` (on_hand_ea, value) from `stranded_by_group`: as the group's KPIs say it, 0
    when the rule applies and nothing is stranded, null when it gives no figure (no end date under
    use_until_end, no go-live under immediate)."""
    found = sums.get(group["group_id"])
    if found is None:
        applies = group["use_up_policy"] == "use_up" or (
            group["use_up_policy"] == "use_until_end" and group["end_date"] is not None
        )
        found = (Decimal(0), Decimal(0)) if applies else None
    if found is None:
        return {"on_hand_ea": None, "value": None}
    return {"on_hand_ea": figure(found[0], "ea"), "value": figure(found[1], "money")}

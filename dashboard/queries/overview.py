"""The overview's reads: the active groups ranked by the originals' spend, and the cards summed over them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)

from collector.models import ItemGroup, ItemGroupMember
from dashboard.queries.base import (
    Filters,
    StrandedDays,
    membership_lookups,
    po_sums,
    po_window,
    readiness_figures,
    role_summary,
    source_fields,
    stock_pairs,
    stock_role_sums,
    total,
)
from dashboard.queries.group import group_rows, group_summary, with_readiness
from dashboard.queries.stages import location_stages, readiness_counts
from dashboard.queries.stranded import stranded_by_group, stranded_figures

TOP_GROUPS = 25


def active_group_rows(filters: Filters) -> QuerySet[ItemGroup]:
    return group_rows(filters).filter(status="active")


def overview_groups(filters: Filters, limit: int | None = TOP_GROUPS) -> list[dict[str, Any]]:
    """Active groups ranked by the originals' 90-day PO spend (money still going to items being replaced).

    The ranking needs only each group's original spend; the full KPIs are
    computed for the groups that make the cut.
    """
    originals = po_window(filters, **membership_lookups(group_id=OuterRef("group_id"), role="original"))
    active = ItemGroup.objects.filter(status="active")
    if filters.location_id is not None:
        # At one location: the groups with a member stocked or burning there (PO lines carry no location).
        present = stock_pairs(filters, **membership_lookups(group_id=OuterRef("group_id"))).filter(
            Q(on_hand__gt=0) | Q(burn__gt=0)
        )
        active = active.filter(Exists(present))
    ranked = (
        active.annotate(spend=total(originals, F("qty_ea") * F("price")))
        .order_by("-spend", "group_id")
        .values("group_id")
    )
    rows, chosen = active_group_rows(filters), ItemGroup.objects.filter(status="active").values("group_id")
    if limit is not None or filters.location_id is not None:
        chosen = ranked[:limit] if limit is not None else ranked
        rows = rows.filter(group_id__in=chosen)
    summaries = [group_summary(row) for row in rows.order_by("-original_po_spend_90d", "group_id")]
    if not summaries:
        return []
    stranded = stranded_by_group(filters, chosen)
    summaries = [summary | {"stranded": stranded_figures(summary, stranded)} for summary in summaries]
    return with_readiness(filters, summaries, chosen)


def pooled_readiness(filters: Filters, **member_lookups: Any) -> dict[str, Any]:
    """Readiness pooled over the groups of the chosen members: of their (group, location) pairs where an
    original is stocked, the pairs at stage ready, live or converted (and, for setup_pct, the pairs where a
    replacement has a row). One stage query."""
    groups = ItemGroupMember.objects.filter(**member_lookups).values("group_id")
    return readiness_figures(readiness_counts(location_stages(filters, groups)))


def stock_sums(filters: Filters, stranded_days: StrandedDays | None = None, **member_lookups: Any) -> dict[str, Any]:
    """The role sums of `stock_role_sums` and the readiness figures: two passes."""
    return stock_role_sums(filters, stranded_days, **member_lookups) | pooled_readiness(filters, **member_lookups)


def role_totals(
    filters: Filters,
    stranded_days: StrandedDays | None = None,
    leakage_since: date | None = None,
    **member_lookups: Any,
) -> dict[str, Any]:
    """Original and replacement KPI blocks and readiness of the members the lookups choose.

    Three single passes (stock pairs, PO lines, readiness pairs), each over
    the chosen members' rows only. With `stranded_days` the stock pass also
    sums the stranded stock, with `leakage_since` the PO pass the leakage
    (`sums` holds them).
    """
    sums = stock_sums(filters, stranded_days, **member_lookups) | po_sums(filters, leakage_since, **member_lookups)
    return role_summary(sums) | {"sums": sums}


def overview_kpis(filters: Filters) -> dict[str, Any]:
    """The overview cards: figures summed over every active group; coverage and readiness pooled."""
    groups = ItemGroup.objects.filter(status="active").aggregate(
        active_groups=Count("group_id", distinct=True), items_impacted=Count("members")
    )
    return {
        "as_of": filters.as_of,
        "location_id": filters.location_param,
        "on_hand_source": source_fields(filters, item__membership__group__status="active"),
        **groups,
        **{k: v for k, v in role_totals(filters, group__status="active").items() if k != "sums"},
    }

"""Loads what the attention rules need, for every draft and active group at once.

A fixed number of statements whatever the number of groups: one for the
groups with their conflict, leakage and original-stock figures (correlated
sums, which every backend accepts), one for the location stages, and the
outcome statements for the groups whose originals run out within 30 days
(the only ones the stock-out rule can raise), per 1,000 such groups.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Value

from attention import rules
from attention.rules import Group, Item
from collector.models import GroupAlert, ItemGroup
from collector.naming import annotate_group_title
from dashboard.queries import Filters, latest_burn, total
from dashboard.queries.onhand import on_hand_as_of
from dashboard.queries.outcomes import group_outcomes
from dashboard.queries.stages import location_stages
from dashboard.queries.stranded import stranded_by_group
from dashboard.rules import leakage_cutoff_sql
from plmtracker.inventory.models import ItemLocation, PoLine
from plmtracker.ops.bulk import id_chunks

ONE = Value(Decimal(1), output_field=DecimalField(max_digits=28, decimal_places=6))  # summed: a count
STOCK_KINDS = {"replacement_stockout_risk"}
STAGE_KINDS = {"late_go_live", "go_live_at_risk"}


def _groups(statuses: Iterable[str], owner_id: int | None, group_id: int | None = None) -> QuerySet[ItemGroup]:
    groups = ItemGroup.objects.filter(status__in=list(statuses))
    if owner_id is not None:
        groups = groups.filter(owner_id=owner_id)
    if group_id is not None:
        groups = groups.filter(group_id=group_id)
    return groups


def _group_facts(groups: QuerySet[ItemGroup], as_of: date, kinds: set[str]) -> QuerySet[ItemGroup]:
    """The groups with the figures of the group-level rules, each a correlated subquery."""
    group = OuterRef("group_id")
    facts: dict[str, Any] = {}
    if "open_conflicts" in kinds:
        alerts = GroupAlert.objects.filter(resolved_at__isnull=True, item__membership__group_id=group)
        facts["conflicts"] = total(alerts, ONE)
        facts["first_noted"] = Subquery(alerts.order_by("noted_at").values("noted_at")[:1])
    if "leakage" in kinds:
        cutoff = leakage_cutoff_sql(OuterRef("last_order_date"), OuterRef("start_date"))
        lines = PoLine.objects.filter(
            item__membership__group_id=group,
            item__membership__role="original",
            po_date__gt=as_of - timedelta(days=rules.LEAKAGE_DAYS),
            po_date__lte=as_of,
        ).filter(po_date__gt=cutoff)
        facts["leakage_lines"] = total(lines, ONE)
        facts["leakage_qty"] = total(lines, F("qty_ea"))
        facts["leakage_last"] = Subquery(lines.order_by("-po_date").values("po_date")[:1])
        facts["leakage_spend"] = total(lines.filter(price__isnull=False), F("qty_ea") * F("price"))
    if kinds & STOCK_KINDS:
        pairs = ItemLocation.objects.filter(item__membership__group_id=group, item__membership__role="original")
        facts["original_on_hand"] = total(pairs, on_hand_as_of(as_of))
        facts["original_burn"] = total(pairs, latest_burn(as_of))
    return annotate_group_title(groups.select_related("owner")).annotate(**facts).order_by("group_id")


def _group(row: ItemGroup) -> Group:
    owner = row.owner
    return Group(
        group_id=row.group_id,
        title=row.title,
        status=row.status,
        owner_id=row.owner_id,
        owner=f"{owner.name} <{owner.email}>" if owner and owner.name else (owner.email if owner else None),
        start_date=row.start_date,
        end_date=row.end_date,
        last_order_date=row.last_order_date,
        use_up_policy=row.use_up_policy,
    )


def attention_items(
    as_of: date,
    *,
    kinds: Iterable[str] | None = None,
    owner_id: int | None = None,
    statuses: Iterable[str] | None = None,
    group_id: int | None = None,
) -> list[Item]:
    """Every attention item at `as_of`, in the rules' order; filters narrow kinds, owner, group status, one group."""
    wanted = set(kinds or rules.KINDS)
    chosen = [s for s in (statuses or ()) if s in rules.STATUSES] or list(rules.STATUSES)
    chosen_groups = _groups(chosen, owner_id, group_id)
    rows = list(_group_facts(chosen_groups, as_of, wanted))
    groups = {row.group_id: _group(row) for row in rows}
    by_id = {row.group_id: row for row in rows}
    ended = any(row.end_date is not None and row.end_date < as_of for row in rows)
    past = chosen_groups.filter(end_date__lt=as_of).values("group_id")
    stranded = stranded_by_group(Filters(as_of=as_of), past) if "stranded_now" in wanted and ended else {}
    found: list[Item | None] = []
    for row in rows:
        group = groups[row.group_id]
        if "open_conflicts" in wanted:
            noted = row.first_noted.date() if row.first_noted else None
            found.append(rules.open_conflicts(group, int(row.conflicts), noted))
        if "leakage" in wanted:
            found.append(
                rules.leakage(
                    group, as_of, int(row.leakage_lines), row.leakage_qty, row.leakage_last, row.leakage_spend
                )
            )
        if "overdue" in wanted:
            found.append(rules.overdue(group, as_of))
        if "stranded_now" in wanted:
            found.append(rules.stranded_now(group, as_of, *stranded.get(row.group_id, (0, 0))))
    if wanted & STAGE_KINDS and groups:
        # Only the chosen groups' locations (a subquery: no list of ids for SQL Server's parameter limit).
        for stage in location_stages(Filters(as_of=as_of), chosen_groups.values("group_id")):
            group = groups.get(stage["group_id"])
            if group is None:  # its status changed between the two statements
                continue
            item = rules.go_live(
                group,
                as_of,
                (stage["location_id"], stage["location_name"]),
                stage["go_live_date"],
                stage["stage"],
                stage["late"] and "late_go_live" in wanted,
                stage["at_risk"] and "go_live_at_risk" in wanted,
            )
            found.append(item)
    if "replacement_stockout_risk" in wanted:
        # Only groups whose originals run out within 30 days can be at risk: their outcomes alone are read.
        candidates = [
            row.group_id
            for row in rows
            if rules.originals_run_out_within(as_of, row.original_on_hand, row.original_burn) is not None
        ]
        for ids in id_chunks(candidates):
            outcomes = group_outcomes(Filters(as_of=as_of), ids)
            for group_id in ids:
                row = by_id[group_id]
                cutover = outcomes.get(group_id, {}).get("cutover_coverage_days")
                found.append(
                    rules.replacement_stockout_risk(
                        groups[group_id], as_of, cutover, row.original_on_hand, row.original_burn
                    )
                )
    return sorted((item for item in found if item is not None), key=rules.sort_key)

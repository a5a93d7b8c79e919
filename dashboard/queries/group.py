"""One group's reads: the group rows of lists, its members, its locations and its KPI body (`group_kpis`).

The group page's figures come from few statements whatever the group's size:
one grouped pass over its stock pairs per location and role (where the
database sums over subqueries), else the correlated sums SQL Server takes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from collector.models import ItemGroup, ItemGroupMember
from collector.naming import annotate_group_title
from dashboard import kpis, rules
from dashboard.kpis import coverage_days, figure, run_out
from dashboard.queries import base, outcomes
from dashboard.queries.base import (
    READINESS_FIELDS,
    ROLES,
    STOCK_COLUMNS,
    Filters,
    StrandedDays,
    at_location,
    kpi_block,
    membership_lookups,
    po_sums,
    po_window,
    readiness_figures,
    role_summary,
    source_fields,
    stock_and_po_measures,
    stock_pairs,
    stock_role_sums,
    stranded_measures,
    total,
)
from dashboard.queries.onhand import ZERO
from dashboard.queries.stages import count_stages, location_stages, readiness_counts
from dashboard.rules import leakage_cutoff
from plmtracker.inventory.models import Item, ItemLocation, Location, PoLine

GROUP_FIELDS = (
    "group_id",
    "name",
    "title",
    "status",
    "reason",
    "start_date",
    "end_date",
    "use_up_policy",
    "last_order_date",
    "owner__name",
    "owner__email",
)


def titled_groups() -> QuerySet[ItemGroup]:
    """Groups with their `title` (collector.naming: the name, else "original -> replacement")."""
    return annotate_group_title(ItemGroup.objects.order_by())


def group_measures(filters: Filters) -> dict[str, Expression]:
    """Per-group KPIs for an ItemGroup queryset, each a correlated subquery on the group."""
    measures: dict[str, Expression] = {}
    for role in ROLES:
        members = membership_lookups(group_id=OuterRef("group_id"), role=role)
        measures |= stock_and_po_measures(stock_pairs(filters, **members), po_window(filters, **members), f"{role}_")
    measures["member_count"] = Coalesce(
        Subquery(
            ItemGroupMember.objects.filter(group_id=OuterRef("group_id"))
            .order_by()
            .values("group_id")
            .annotate(n=Count("item_id"))
            .values("n")
        ),
        0,
    )
    return measures


def group_rows(filters: Filters) -> QuerySet[ItemGroup]:
    """Groups with their title, role KPIs and member count, as dicts (readiness: `with_readiness`)."""
    measures = group_measures(filters)
    return titled_groups().annotate(**measures).values(*GROUP_FIELDS, *measures)


def with_readiness(filters: Filters, rows: list[dict[str, Any]], group_ids: QuerySet) -> list[dict[str, Any]]:
    """Each group row with its readiness figures and stage counts, from one stage query over `group_ids`
    (a subquery choosing at least the rows' groups, so no long IN list reaches the database)."""
    by_group: dict[int, list[dict[str, Any]]] = {row["group_id"]: [] for row in rows}
    for stage_row in location_stages(filters, group_ids):
        if stage_row["group_id"] in by_group:
            by_group[stage_row["group_id"]].append(stage_row)
    return [
        row
        | readiness_figures(readiness_counts(by_group[row["group_id"]]))
        | {"stage_counts": count_stages(by_group[row["group_id"]])}
        for row in rows
    ]


def leakage_by_group(filters: Filters, group_ids: QuerySet) -> dict[int, tuple[Decimal, Decimal]]:
    """Per group of `group_ids` (a queryset of group ids): the PO quantity and spend on its originals dated
    after its leakage cut-off and on or before as_of (`group_kpis`' `leakage`), in one statement. Groups
    without such a line are left out (`leakage_figures` says 0 or no figure)."""
    lines = (
        PoLine.objects.filter(
            item__membership__group_id__in=group_ids, item__membership__role="original", po_date__lte=filters.as_of
        )
        .annotate(
            group_ref=F("item__membership__group_id"),
            cutoff=rules.leakage_cutoff_sql(
                F("item__membership__group__last_order_date"), F("item__membership__group__start_date")
            ),
        )
        .filter(po_date__gt=F("cutoff"))
        .order_by()
        .values("group_ref")
        .annotate(qty=Coalesce(Sum("qty_ea"), ZERO), spend=Coalesce(Sum(F("qty_ea") * F("price")), ZERO))
    )
    return {row["group_ref"]: (row["qty"], row["spend"]) for row in lines}


def leakage_figures(group: dict[str, Any], sums: dict[int, tuple[Decimal, Decimal]]) -> dict[str, float | None]:
    """A group row's leakage (po_qty, po_spend) from `leakage_by_group`, as `group_kpis` says it: null
    without a cut-off, 0 when no line falls after it."""
    if leakage_cutoff(group["last_order_date"], group["start_date"]) is None:
        return {"po_qty": None, "po_spend": None}
    qty, spend = sums.get(group["group_id"], (Decimal(0), Decimal(0)))
    return {"po_qty": figure(qty, "ea"), "po_spend": figure(spend, "money")}


def group_summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "group_id": row["group_id"],
        "name": row["name"],
        "title": row["title"],
        "status": row["status"],
        "reason": row["reason"],
        "start_date": row["start_date"],
        "end_date": row["end_date"],
        "member_count": row["member_count"],
        "use_up_policy": row["use_up_policy"],
        "last_order_date": row["last_order_date"],
        "owner": row["owner__name"] or row["owner__email"],
        "original": kpi_block(row, "original_"),
        "replacement": kpi_block(row, "replacement_"),
    }


def member_rows(filters: Filters, group_id: int) -> QuerySet[Item]:
    """Every member of the group (with a role or without), in sequence order, with its KPIs."""
    pairs = stock_pairs(filters, item_id=OuterRef("item_id"))
    lines = po_window(filters, item_id=OuterRef("item_id"))
    return (
        Item.objects.filter(membership__group_id=group_id)
        .annotate(role=F("membership__role"), **stock_and_po_measures(pairs, lines))
        .order_by("membership__sequence", "item_id")
        .values(
            "item_id",
            "erp_item_code",
            "description",
            "role",
            "on_hand_ea",
            "burn_ea_per_day",
            "po_qty_90d",
            "po_spend_90d",
        )
    )


def item_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "item_id": row["item_id"],
        "erp_item_code": row["erp_item_code"],
        "description": row["description"],
        "role": row["role"],
        **kpi_block(row),
    }


LOCATION_FIELDS = ("location_id", "location_name", "location_type")


def location_rows(filters: Filters, group_id: int) -> QuerySet:
    """The locations where a member of the group is stocked, with the originals' and replacements' stock.

    Rows are dicts: location_id, location_name, location_type, <role>_on_hand_ea,
    <role>_burn_ea_per_day and <role>_pairs (the role's stock pairs there).
    """
    members = ItemGroupMember.objects.filter(group_id=group_id).values("item_id")
    if base.sums_over_subqueries(ItemLocation):
        # One pass over the group's stock pairs, grouped by location.
        pairs = stock_pairs(filters, item_id__in=members).annotate(
            role=F("item__membership__role"),
            location_name=F("location__location_name"),
            location_type=F("location__location_type"),
        )
        sums: dict[str, Expression] = {}
        for role in ROLES:
            chosen = Q(role=role)
            sums[f"{role}_on_hand_ea"] = Coalesce(Sum("on_hand", filter=chosen), ZERO)
            sums[f"{role}_burn_ea_per_day"] = Coalesce(Sum("burn", filter=chosen), ZERO)
            sums[f"{role}_pairs"] = Count("pk", filter=chosen)
        return pairs.order_by().values(*LOCATION_FIELDS).annotate(**sums).order_by("location_id")
    measures: dict[str, Expression] = {}
    for role in ROLES:
        # item_id IN (the group's members): each location's sums seek the
        # members' few item locations instead of scanning the location's.
        chosen = ItemGroupMember.objects.filter(group_id=group_id, role=role).values("item_id")
        pairs = stock_pairs(filters, location_id=OuterRef("location_id"), item_id__in=chosen)
        measures[f"{role}_on_hand_ea"] = total(pairs, F("on_hand"))
        measures[f"{role}_burn_ea_per_day"] = total(pairs, F("burn"))
        measures[f"{role}_pairs"] = Coalesce(
            Subquery(pairs.order_by().values("location_id").annotate(n=Count("pk")).values("n")), 0
        )
    stocked = ItemLocation.objects.filter(item_id__in=members).values("location_id")
    locations = at_location(Location.objects.filter(location_id__in=stocked), filters)
    return locations.annotate(**measures).order_by("location_id").values(*LOCATION_FIELDS, *measures)


def group_stock_by_location(
    filters: Filters, group_id: int, stranded_days: StrandedDays | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The group's stock per location and in total, from ONE grouped pass over its stock pairs.

    The database sums on-hand, burn, pair counts and the stranded stock per
    (location, role); the at most two rows per location it returns are then
    arranged into the location table and added up into the role totals and
    the stranded totals. Only for databases that sum over
    a subquery (`sums_over_subqueries`); elsewhere `stock_sums` and
    `location_rows` give the same figures in three passes.
    """
    members = ItemGroupMember.objects.filter(group_id=group_id).values("item_id")
    pairs = stock_pairs(filters, item_id__in=members).annotate(
        role=F("item__membership__role"),
        location_name=F("location__location_name"),
        location_type=F("location__location_type"),
    )
    sums: dict[str, Expression] = {
        "on_hand_ea": Coalesce(Sum("on_hand"), ZERO),
        "burn_ea_per_day": Coalesce(Sum("burn"), ZERO),
        "pairs": Count("pk"),
    }
    if stranded_days is not None:
        annotations, _ = stranded_measures(filters, stranded_days)
        pairs = pairs.annotate(**annotations)
        sums |= {
            "stranded_ea": Coalesce(Sum("stranded"), ZERO),
            "stranded_value": Coalesce(Sum(F("stranded") * F("price")), ZERO),
        }
    cells = pairs.order_by().values(*LOCATION_FIELDS, "role").annotate(**sums).order_by("location_id", "role")
    zero = Decimal(0)
    totals: dict[str, Any] = {f"{role}_{name}": zero for role in ROLES for name in STOCK_COLUMNS}
    totals |= {"stranded_ea": zero, "stranded_value": zero}
    locations: dict[int, dict[str, Any]] = {}
    for cell in cells:
        location = locations.setdefault(
            cell["location_id"],
            {key: cell[key] for key in LOCATION_FIELDS}
            | {f"{role}_{name}": zero for role in ROLES for name in STOCK_COLUMNS}
            | {f"{role}_pairs": 0 for role in ROLES},
        )
        role = cell["role"]
        if role not in ROLES:
            continue  # members without a role: their stock lists the location, counts for neither side
        for name in STOCK_COLUMNS:
            location[f"{role}_{name}"] += cell[name]
            totals[f"{role}_{name}"] += cell[name]
        location[f"{role}_pairs"] += cell["pairs"]
        if role == "original" and stranded_days is not None:
            totals["stranded_ea"] += cell["stranded_ea"]
            totals["stranded_value"] += cell["stranded_value"]
    return list(locations.values()), totals


def stranded_days(
    filters: Filters, group: dict[str, Any], stage_rows: list[dict[str, Any]]
) -> tuple[StrandedDays | None, int | None]:
    """How many more days of burn the originals get before their stock counts as stranded, by the group's
    policy (`dashboard.rules.stranded_days`, docs/DESIGN.md "Stranded stock"), and the days left to the end
    date.

    Returns (days, days_left): days is the horizon H for `use_up`, the days to the end date for
    `use_until_end` (None without one), and for `immediate` a per-pair expression, the days to the
    go-live of the pair's location (pairs whose location has none are left out; None when no original
    location has one).
    """
    left = kpis.days_left(filters.as_of, group["end_date"])
    policy = group["use_up_policy"]
    if policy != "immediate":
        return rules.stranded_days(policy, filters.as_of, group["end_date"]), left
    go_lives = {
        row["location_id"]: rules.stranded_days(policy, filters.as_of, group["end_date"], row["go_live_date"])
        for row in stage_rows
        if row["original_rows"] and row["go_live_date"] is not None
    }
    if not go_lives:
        return None, left
    by_location = [When(location_id=location, then=Value(days)) for location, days in go_lives.items()]
    return Case(*by_location, default=Value(None), output_field=IntegerField()), left


def stage_location(loc: dict[str, Any], stage: dict[str, Any], as_of: date) -> dict[str, Any]:
    on_hand, burn = loc["original_on_hand_ea"], loc["original_burn_ea_per_day"]
    return {
        "location_id": loc["location_id"],
        "location_name": loc["location_name"],
        "location_type": loc["location_type"],
        "original_on_hand_ea": figure(on_hand, "ea"),
        "original_burn_ea_per_day": figure(burn, "burn"),
        "original_coverage_days": coverage_days(on_hand, burn),
        **run_out(as_of, on_hand, burn, "original_"),
        "replacement_on_hand_ea": figure(loc["replacement_on_hand_ea"], "ea"),
        "original_stocked": loc["original_pairs"] > 0,
        "replacement_stocked": loc["replacement_pairs"] > 0,
        "par_set": stage["par_set"],
        "go_live_date": stage["go_live_date"],
        "stage": stage["stage"],
        "late": stage["late"],
        "at_risk": stage["at_risk"],
    }


def group_kpis(group_id: int, filters: Filters) -> dict[str, Any] | None:
    """The group's KPI body (the JSON API's shape), or None when there is no such group."""
    row = titled_groups().filter(group_id=group_id).values(*GROUP_FIELDS).first()
    if row is None:
        return None
    stages = location_stages(filters, [group_id])
    days, left = stranded_days(filters, row, stages)
    if base.sums_over_subqueries(ItemLocation):
        location_list, stock = group_stock_by_location(filters, group_id, days)
    else:
        stock = stock_role_sums(filters, days, group_id=group_id)
        location_list = list(location_rows(filters, group_id))
    cutoff = leakage_cutoff(row["last_order_date"], row["start_date"])
    members = list(member_rows(filters, group_id))
    outcome, factors = outcomes.group_outcome(filters, group_id, members)
    readiness = readiness_figures(readiness_counts(stages))
    sums = stock | po_sums(filters, cutoff, group_id=group_id) | readiness
    summary = role_summary(sums)
    original = summary["original"]
    policy = row["use_up_policy"]
    stranded = days is not None
    stage_by_location = {stage["location_id"]: stage for stage in stages}
    return {
        "group_id": row["group_id"],
        "name": row["name"],
        "title": row["title"],
        "as_of": filters.as_of,
        "location_id": filters.location_param,
        "status": row["status"],
        "reason": row["reason"],
        "start_date": row["start_date"],
        "end_date": row["end_date"],
        "use_up_policy": policy,
        "last_order_date": row["last_order_date"],
        "on_hand_source": source_fields(filters, item__membership__group_id=group_id),
        "original": original,
        "replacement": summary["replacement"],
        **{name: summary[name] for name in READINESS_FIELDS},
        "stage_counts": count_stages(stages),
        "items": [item | outcomes.member_equivalents(item, factors) for item in map(item_row, members)],
        "locations": [
            stage_location(loc, stage_by_location[loc["location_id"]], filters.as_of) for loc in location_list
        ],
        **run_out(filters.as_of, original["on_hand_ea"], original["burn_ea_per_day"]),
        "stranded": {
            "policy": policy,
            "end_date": row["end_date"],
            "days_left": left,
            "horizon_days": rules.use_up_horizon_days() if policy == "use_up" else None,
            "on_hand_ea": figure(sums["stranded_ea"], "ea") if stranded else None,
            "value": figure(sums["stranded_value"], "money") if stranded else None,
        },
        "leakage": {
            "since": cutoff,
            "po_qty": figure(sums["leakage_qty"], "ea") if cutoff else None,
            "po_spend": figure(sums["leakage_spend"], "money") if cutoff else None,
        },
        "outcome": outcome,
    }


def group_exists(group_id: int) -> bool:
    return ItemGroup.objects.filter(group_id=group_id).exists()


def location_choices() -> list[tuple[int, str]]:
    return [(loc.location_id, str(loc)) for loc in Location.objects.order_by("location_id")]

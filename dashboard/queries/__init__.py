"""Dashboard reads: conversion KPIs per group, per item and for the overview.

Every figure is summed by the database (DESIGN.md, "KPI definitions"); Python
only divides sums it got back (`dashboard.kpis`) and shapes them for pages,
exports and the JSON API. The number of queries does not depend on how many
groups, members, locations or days there are.

The building blocks:

- a *stock pair* is an `item_location` row (an item stocked at a location)
  with `burn`, the `burnrate_daily` row of that item and location with the
  greatest `as_of_date <= as_of` (0 when there is none). On-hand and burn are
  both summed over stock pairs, so coverage compares the same locations; a
  burn rate for a location where the item has no item location is not
  counted.
- PO lines carry no location: the location filter never applies to them.
- `SumOf` sums a column of a set of rows in a correlated subquery; the
  aggregates over rows that carry the latest-burn subquery are taken over a
  derived table, because SQL Server refuses `SUM((SELECT ...))`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.db.models.lookups import GreaterThan

from collector.models import ItemGroup, ItemGroupMember
from dashboard import kpis
from dashboard.kpis import coverage_days, figure, readiness_pct, run_out
from plmtracker.models import BurnRateDaily, Item, ItemLocation, Location, OnHandSnapshot, PoLine

PO_WINDOW_DAYS = 90
ROLES = ("original", "replacement")
TOP_GROUPS = 25
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=28, decimal_places=6))


@dataclass(frozen=True)
class Filters:
    """What every KPI is computed for: a day, and all locations (None) or one."""

    as_of: date
    location_id: int | None = None

    @property
    def window_start(self) -> date:
        """First day of the 90-day PO window: as_of - 90 days <= po_date <= as_of."""
        return self.as_of - timedelta(days=PO_WINDOW_DAYS)

    @property
    def location_param(self) -> int | str:
        return "ALL" if self.location_id is None else self.location_id


class SumOf(Subquery):
    """`(SELECT SUM(summand) FROM (<rows>) summed)`: the sum of `value` over `rows`.

    `rows` may be correlated to the outer query (OuterRef) and `value` may hold
    a subquery (the latest burn rate): the sum is over a derived table, which
    every backend, SQL Server included, accepts. NULL when there are no rows.
    """

    template = "(SELECT SUM(summed.summand) FROM (%(subquery)s) summed)"

    def __init__(self, rows: QuerySet, value: Expression | F):
        super().__init__(rows.order_by().annotate(summand=value).values("summand"))


def _total(rows: QuerySet, value: Expression | F) -> Coalesce:
    return Coalesce(SumOf(rows, value), ZERO)


def _at_location(rows: QuerySet, filters: Filters) -> QuerySet:
    return rows if filters.location_id is None else rows.filter(location_id=filters.location_id)


def _member(prefix: str = "item__", **lookups: Any) -> dict[str, Any]:
    """Lookups on the membership of the rows' item: _member(group_id=5) -> item__membership__group_id=5."""
    return {f"{prefix}membership__{key}": value for key, value in lookups.items()}


def latest_burn(as_of: date) -> Subquery:
    """The burn rate of the outer row's item and location with the greatest as_of_date <= as_of."""
    rows = BurnRateDaily.objects.filter(
        item_id=OuterRef("item_id"), location_id=OuterRef("location_id"), as_of_date__lte=as_of
    ).order_by("-as_of_date")
    return Subquery(rows.values("burnrate_ea_per_day")[:1])


def latest_price(as_of: date) -> Subquery:
    """The outer row's item's price on its latest priced PO line dated on or before as_of."""
    rows = PoLine.objects.filter(item_id=OuterRef("item_id"), price__isnull=False, po_date__lte=as_of).order_by(
        "-po_date", "-po_line_id"
    )
    return Subquery(rows.values("price")[:1])


def stock_pairs(filters: Filters, **lookups: Any) -> QuerySet[ItemLocation]:
    """Item locations (the chosen location only, when one is given) annotated with `burn`."""
    pairs = _at_location(ItemLocation.objects.filter(**lookups), filters)
    return pairs.annotate(burn=Coalesce(latest_burn(filters.as_of), ZERO))


def po_window(filters: Filters, **lookups: Any) -> QuerySet[PoLine]:
    """PO lines with as_of - 90 days <= po_date <= as_of; no location filter (they carry none)."""
    return PoLine.objects.filter(po_date__gte=filters.window_start, po_date__lte=filters.as_of, **lookups)


def _measures(pairs: QuerySet, lines: QuerySet, prefix: str = "") -> dict[str, Expression]:
    """On-hand, burn, PO quantity and spend of a set of stock pairs and PO lines.

    Spend is sum(qty_ea * price): a line with no price has a NULL product,
    which SUM skips, so it adds 0.
    """
    return {
        f"{prefix}on_hand_ea": _total(pairs, F("on_hand_ea")),
        f"{prefix}burn_ea_per_day": _total(pairs, F("burn")),
        f"{prefix}po_qty_90d": _total(lines, F("qty_ea")),
        f"{prefix}po_spend_90d": _total(lines, F("qty_ea") * F("price")),
    }


def _kpi_block(row: dict[str, Any], prefix: str = "") -> dict[str, float | None]:
    on_hand, burn = row[f"{prefix}on_hand_ea"], row[f"{prefix}burn_ea_per_day"]
    return {
        "on_hand_ea": figure(on_hand, "ea"),
        "burn_ea_per_day": figure(burn, "burn"),
        "coverage_days": coverage_days(on_hand, burn),
        "po_qty_90d": figure(row[f"{prefix}po_qty_90d"], "ea"),
        "po_spend_90d": figure(row[f"{prefix}po_spend_90d"], "money"),
    }


# --- groups -----------------------------------------------------------------


GROUP_FIELDS = ("group_id", "status", "reason", "start_date", "end_date")


def _group_measures(filters: Filters) -> dict[str, Expression]:
    """Per-group KPIs for an ItemGroup queryset, each a correlated subquery on the group."""
    measures: dict[str, Expression] = {}
    for role in ROLES:
        members = _member(group_id=OuterRef("group_id"), role=role)
        measures |= _measures(stock_pairs(filters, **members), po_window(filters, **members), f"{role}_")
    originals = _at_location(
        ItemLocation.objects.filter(**_member(group_id=OuterRef("group_id"), role="original")), filters
    )
    measures["original_locations"] = _distinct_locations(originals)
    measures["ready_locations"] = _distinct_locations(originals.filter(_replacement_there()))
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


def _replacement_there() -> Exists:
    """Whether a replacement of the outer original's group is stocked at the outer row's location."""
    return Exists(
        ItemLocation.objects.filter(
            location_id=OuterRef("location_id"),
            **_member(group_id=OuterRef("item__membership__group_id"), role="replacement"),
        )
    )


def _distinct_locations(item_locations: QuerySet) -> Coalesce:
    counted = (
        item_locations.order_by().values("item__membership__group_id").annotate(n=Count("location_id", distinct=True))
    )
    return Coalesce(Subquery(counted.values("n")), 0)


def group_rows(filters: Filters) -> QuerySet[ItemGroup]:
    """Groups with their role KPIs, location counts for readiness and member count, as dicts."""
    measures = _group_measures(filters)
    return ItemGroup.objects.order_by().annotate(**measures).values(*GROUP_FIELDS, *measures)


def _group_summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "group_id": row["group_id"],
        "status": row["status"],
        "reason": row["reason"],
        "start_date": row["start_date"],
        "end_date": row["end_date"],
        "member_count": row["member_count"],
        "original": _kpi_block(row, "original_"),
        "replacement": _kpi_block(row, "replacement_"),
        "original_locations": row["original_locations"],
        "ready_locations": row["ready_locations"],
        "readiness_pct": readiness_pct(row["original_locations"], row["ready_locations"]),
    }


def member_rows(filters: Filters, group_id: int) -> QuerySet[Item]:
    """Every member of the group (with a role or without), in sequence order, with its KPIs."""
    pairs = stock_pairs(filters, item_id=OuterRef("item_id"))
    lines = po_window(filters, item_id=OuterRef("item_id"))
    return (
        Item.objects.filter(membership__group_id=group_id)
        .annotate(role=F("membership__role"), **_measures(pairs, lines))
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


def _item_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "item_id": row["item_id"],
        "erp_item_code": row["erp_item_code"],
        "description": row["description"],
        "role": row["role"],
        **_kpi_block(row),
    }


LOCATION_FIELDS = ("location_id", "location_name", "location_type")


def sums_over_subqueries(model: type) -> bool:
    """Whether the database `model` is read from sums over a subquery in a grouped query.

    PostgreSQL and SQLite do; SQL Server refuses `SUM((SELECT ...))` (error
    130), so there the sums over the latest burn go through correlated
    derived tables instead (`SumOf`).
    """
    return connections[router.db_for_read(model)].vendor != "microsoft"


def location_rows(filters: Filters, group_id: int) -> QuerySet:
    """The locations where a member of the group is stocked, with the originals' and replacements' stock.

    Rows are dicts: location_id, location_name, location_type, <role>_on_hand_ea,
    <role>_burn_ea_per_day and <role>_pairs (the role's stock pairs there).
    """
    members = ItemGroupMember.objects.filter(group_id=group_id).values("item_id")
    if sums_over_subqueries(ItemLocation):
        # One pass over the group's stock pairs, grouped by location.
        pairs = stock_pairs(filters, item_id__in=members).annotate(
            role=F("item__membership__role"),
            location_name=F("location__location_name"),
            location_type=F("location__location_type"),
        )
        sums: dict[str, Expression] = {}
        for role in ROLES:
            chosen = Q(role=role)
            sums[f"{role}_on_hand_ea"] = Coalesce(Sum("on_hand_ea", filter=chosen), ZERO)
            sums[f"{role}_burn_ea_per_day"] = Coalesce(Sum("burn", filter=chosen), ZERO)
            sums[f"{role}_pairs"] = Count("pk", filter=chosen)
        return pairs.order_by().values(*LOCATION_FIELDS).annotate(**sums).order_by("location_id")
    measures: dict[str, Expression] = {}
    for role in ROLES:
        # item_id IN (the group's members): each location's sums seek the
        # members' few item locations instead of scanning the location's.
        chosen = ItemGroupMember.objects.filter(group_id=group_id, role=role).values("item_id")
        pairs = stock_pairs(filters, location_id=OuterRef("location_id"), item_id__in=chosen)
        measures[f"{role}_on_hand_ea"] = _total(pairs, F("on_hand_ea"))
        measures[f"{role}_burn_ea_per_day"] = _total(pairs, F("burn"))
        measures[f"{role}_pairs"] = Coalesce(
            Subquery(pairs.order_by().values("location_id").annotate(n=Count("pk")).values("n")), 0
        )
    stocked = ItemLocation.objects.filter(item_id__in=members).values("location_id")
    locations = _at_location(Location.objects.filter(location_id__in=stocked), filters)
    return locations.annotate(**measures).order_by("location_id").values(*LOCATION_FIELDS, *measures)


def stranded_measures(filters: Filters, days: int) -> tuple[dict[str, Expression], dict[str, Expression]]:
    """Original stock still on hand after `days` more days at the current burn, in EA and dollars.

    Per original stock pair: max(0, on_hand - burn * days) (a pair with no
    burn keeps all of it); in dollars at the item's latest priced PO line on
    or before as_of (an item never bought with a price adds 0 dollars).
    Returns the annotations for stock pairs and the sums over them.
    """
    left = F("on_hand_ea") - F("burn") * Value(days)
    annotations = {
        "price": latest_price(filters.as_of),
        "stranded": Case(When(GreaterThan(left, 0), then=left), default=ZERO),
    }
    original = Q(role="original")
    sums = {
        "stranded_ea": Coalesce(Sum("stranded", filter=original), ZERO),
        "stranded_value": Coalesce(Sum(F("stranded") * F("price"), filter=original), ZERO),
    }
    return annotations, sums


def leakage_measures(since: date) -> dict[str, Expression]:
    """PO quantity and spend on originals dated after `since` (and on or before as_of: the lines' window)."""
    after = Q(role="original", po_date__gt=since)
    return {
        "leakage_qty": Coalesce(Sum("qty_ea", filter=after), ZERO),
        "leakage_spend": Coalesce(Sum(F("qty_ea") * F("price"), filter=after), ZERO),
    }


def group_stock_by_location(
    filters: Filters, group_id: int, stranded_days: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The group's stock per location and in total, from ONE grouped pass over its stock pairs.

    The database sums on-hand, burn, pair counts and the stranded stock per
    (location, role); the at most two rows per location it returns are then
    arranged into the location table and added up into the role totals, the
    readiness counts and the stranded totals. Only for databases that sum over
    a subquery (`sums_over_subqueries`); elsewhere `_stock_sums` and
    `location_rows` give the same figures in three passes.
    """
    members = ItemGroupMember.objects.filter(group_id=group_id).values("item_id")
    pairs = stock_pairs(filters, item_id__in=members).annotate(
        role=F("item__membership__role"),
        location_name=F("location__location_name"),
        location_type=F("location__location_type"),
    )
    sums: dict[str, Expression] = {
        "on_hand_ea": Coalesce(Sum("on_hand_ea"), ZERO),
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
    stocked = [loc for loc in locations.values() if loc["original_pairs"]]
    totals["original_locations"] = len(stocked)
    totals["ready_locations"] = sum(1 for loc in stocked if loc["replacement_pairs"])
    return list(locations.values()), totals


def group_kpis(group_id: int, filters: Filters) -> dict[str, Any] | None:
    """The group's KPI body (the JSON API's shape), or None when there is no such group."""
    row = ItemGroup.objects.filter(group_id=group_id).values(*GROUP_FIELDS).first()
    if row is None:
        return None
    left = kpis.days_left(filters.as_of, row["end_date"])
    if sums_over_subqueries(ItemLocation):
        location_list, stock = group_stock_by_location(filters, group_id, left)
    else:
        stock = _stock_sums(filters, left, group_id=group_id)
        location_list = list(location_rows(filters, group_id))
    sums = stock | _po_sums(filters, row["start_date"], group_id=group_id)
    summary = _summary(sums)
    original = summary["original"]
    stranded = left is not None
    leakage = row["start_date"] is not None
    locations = [
        {
            "location_id": loc["location_id"],
            "location_name": loc["location_name"],
            "location_type": loc["location_type"],
            "original_on_hand_ea": figure(loc["original_on_hand_ea"], "ea"),
            "original_burn_ea_per_day": figure(loc["original_burn_ea_per_day"], "burn"),
            "original_coverage_days": coverage_days(loc["original_on_hand_ea"], loc["original_burn_ea_per_day"]),
            **run_out(filters.as_of, loc["original_on_hand_ea"], loc["original_burn_ea_per_day"], "original_"),
            "replacement_on_hand_ea": figure(loc["replacement_on_hand_ea"], "ea"),
            "original_stocked": loc["original_pairs"] > 0,
            "replacement_stocked": loc["replacement_pairs"] > 0,
        }
        for loc in location_list
    ]
    return {
        "group_id": row["group_id"],
        "as_of": filters.as_of,
        "location_id": filters.location_param,
        "status": row["status"],
        "reason": row["reason"],
        "start_date": row["start_date"],
        "end_date": row["end_date"],
        "original": original,
        "replacement": summary["replacement"],
        "readiness_pct": summary["readiness_pct"],
        "original_locations": summary["original_locations"],
        "ready_locations": summary["ready_locations"],
        "items": [_item_row(r) for r in member_rows(filters, group_id)],
        "locations": locations,
        **run_out(filters.as_of, original["on_hand_ea"], original["burn_ea_per_day"]),
        "stranded": {
            "end_date": row["end_date"],
            "days_left": left,
            "on_hand_ea": figure(sums["stranded_ea"], "ea") if stranded else None,
            "value": figure(sums["stranded_value"], "money") if stranded else None,
        },
        "leakage": {
            "since": row["start_date"],
            "po_qty": figure(sums["leakage_qty"], "ea") if leakage else None,
            "po_spend": figure(sums["leakage_spend"], "money") if leakage else None,
        },
    }


# --- overview ---------------------------------------------------------------


def active_group_rows(filters: Filters) -> QuerySet[ItemGroup]:
    return group_rows(filters).filter(status="active")


def overview_groups(filters: Filters, limit: int | None = TOP_GROUPS) -> list[dict[str, Any]]:
    """Active groups ranked by the originals' 90-day PO spend (money still going to items being replaced).

    The ranking needs only each group's original spend; the full KPIs are
    computed for the groups that make the cut.
    """
    originals = po_window(filters, **_member(group_id=OuterRef("group_id"), role="original"))
    ranked = (
        ItemGroup.objects.filter(status="active")
        .annotate(spend=_total(originals, F("qty_ea") * F("price")))
        .order_by("-spend", "group_id")
        .values("group_id")
    )
    rows = active_group_rows(filters)
    if limit is not None:
        rows = rows.filter(group_id__in=ranked[:limit])
    return [_group_summary(row) for row in rows.order_by("-original_po_spend_90d", "group_id")]


def _role_sums(
    rows: QuerySet, columns: dict[str, str | Expression], where: Q | None = None, **extra: Expression
) -> dict[str, Any]:
    """One pass over `rows`: each column summed per role of the row's item (and `where`), named <role>_<name>,
    with the `extra` aggregates in the same pass."""
    # The role is annotated first: a role condition inside the aggregate
    # would turn the membership joins into outer joins, and the scan would
    # start from every row instead of from the chosen groups' members.
    return rows.annotate(role=F("item__membership__role")).aggregate(
        **{
            f"{role}_{name}": Coalesce(Sum(column, filter=Q(role=role) & (where or Q())), ZERO)
            for role in ROLES
            for name, column in columns.items()
        },
        **extra,
    )


def pooled_readiness(filters: Filters, **member_lookups: Any) -> dict[str, int]:
    """Readiness counts pooled over groups: (group, location) pairs where an original is stocked, and of those
    the pairs where a replacement of the same group is stocked too."""
    originals = _at_location(ItemLocation.objects.filter(**_member(role="original", **member_lookups)), filters)
    pairs = (
        originals.annotate(ready=_replacement_there())
        .values("item__membership__group_id", "location_id", "ready")
        .distinct()
    )
    return pairs.aggregate(
        original_locations=Count("location_id"), ready_locations=Count("location_id", filter=Q(ready=True))
    )


STOCK_COLUMNS: dict[str, str | Expression] = {"on_hand_ea": "on_hand_ea", "burn_ea_per_day": "burn"}
PO_COLUMNS: dict[str, str | Expression] = {"po_qty_90d": "qty_ea", "po_spend_90d": F("qty_ea") * F("price")}


def _stock_sums(filters: Filters, stranded_days: int | None = None, **member_lookups: Any) -> dict[str, Any]:
    """Role sums of on-hand and burn over the chosen members' stock pairs (with the stranded stock when
    `stranded_days` is given), and the readiness counts: two single passes."""
    pairs, extra = stock_pairs(filters, **_member(**member_lookups)), {}
    if stranded_days is not None:
        annotations, extra = stranded_measures(filters, stranded_days)
        pairs = pairs.annotate(**annotations)
    return _role_sums(pairs, STOCK_COLUMNS, **extra) | pooled_readiness(filters, **member_lookups)


def _po_sums(filters: Filters, leakage_since: date | None = None, **member_lookups: Any) -> dict[str, Any]:
    """Role sums of the 90-day PO figures of the chosen members (and the leakage since `leakage_since`)."""
    members = _member(**member_lookups)
    lines, in_window, extra = po_window(filters, **members), None, {}
    if leakage_since is not None:
        earliest = min(filters.window_start, leakage_since + timedelta(days=1))
        lines = PoLine.objects.filter(po_date__gte=earliest, po_date__lte=filters.as_of, **members)
        in_window, extra = Q(po_date__gte=filters.window_start), leakage_measures(leakage_since)
    return _role_sums(lines, PO_COLUMNS, in_window, **extra)


def _summary(sums: dict[str, Any]) -> dict[str, Any]:
    """Original and replacement KPI blocks and readiness from the role sums."""
    return {
        "original": _kpi_block(sums, "original_"),
        "replacement": _kpi_block(sums, "replacement_"),
        "original_locations": sums["original_locations"],
        "ready_locations": sums["ready_locations"],
        "readiness_pct": readiness_pct(sums["original_locations"], sums["ready_locations"]),
    }


def _role_totals(
    filters: Filters, stranded_days: int | None = None, leakage_since: date | None = None, **member_lookups: Any
) -> dict[str, Any]:
    """Original and replacement KPI blocks and readiness of the members the lookups choose.

    Three single passes (stock pairs, PO lines, readiness pairs), each over
    the chosen members' rows only. With `stranded_days` the stock pass also
    sums the stranded stock, with `leakage_since` the PO pass the leakage
    (`sums` holds them).
    """
    sums = _stock_sums(filters, stranded_days, **member_lookups) | _po_sums(filters, leakage_since, **member_lookups)
    return _summary(sums) | {"sums": sums}


def overview_kpis(filters: Filters) -> dict[str, Any]:
    """The overview cards: figures summed over every active group; coverage and readiness pooled."""
    groups = ItemGroup.objects.filter(status="active").aggregate(
        active_groups=Count("group_id", distinct=True), items_impacted=Count("members")
    )
    return {
        "as_of": filters.as_of,
        "location_id": filters.location_param,
        **groups,
        **{k: v for k, v in _role_totals(filters, group__status="active").items() if k != "sums"},
    }


# --- items ------------------------------------------------------------------


def item_kpis(item_id: int, filters: Filters) -> dict[str, Any] | None:
    """One item's KPIs, overall and per location where it is stocked, or None when there is no such item."""
    pairs = stock_pairs(filters, item_id=OuterRef("item_id"))
    lines = po_window(filters, item_id=OuterRef("item_id"))
    measures = _measures(pairs, lines)
    row = (
        Item.objects.filter(item_id=item_id)
        .annotate(**measures, group_id=F("membership__group_id"), role=F("membership__role"))
        .values("item_id", "erp_item_code", "description", "group_id", "role", *measures)
        .first()
    )
    if row is None:
        return None
    locations = [
        {
            "location_id": pair["location_id"],
            "location_name": pair["location__location_name"],
            "location_type": pair["location__location_type"],
            "on_hand_ea": figure(pair["on_hand_ea"], "ea"),
            "burn_ea_per_day": figure(pair["burn"], "burn"),
            "coverage_days": coverage_days(pair["on_hand_ea"], pair["burn"]),
            **run_out(filters.as_of, pair["on_hand_ea"], pair["burn"]),
        }
        for pair in stock_pairs(filters, item_id=item_id)
        .order_by("location_id")
        .values("location_id", "location__location_name", "location__location_type", "on_hand_ea", "burn")
    ]
    block = _kpi_block(row)
    return {
        "item_id": row["item_id"],
        "erp_item_code": row["erp_item_code"],
        "description": row["description"],
        "group_id": row["group_id"],
        "role": row["role"],
        "as_of": filters.as_of,
        "location_id": filters.location_param,
        **block,
        **run_out(filters.as_of, block["on_hand_ea"], block["burn_ea_per_day"]),
        "locations": locations,
    }


# --- trends -----------------------------------------------------------------


def _series(rows: QuerySet, key: str, measures: dict[str, tuple[str, str]], buckets: dict[str, Q]) -> list[dict]:
    """Rows summed per `key` (a day or a week), one column per bucket and measure, in key order."""
    sums = {
        f"{bucket}{name}": Coalesce(Sum(column, filter=condition), ZERO)
        for bucket, condition in buckets.items()
        for name, (column, _) in measures.items()
    }
    kinds = {f"{bucket}{name}": kind for bucket in buckets for name, (_, kind) in measures.items()}
    grouped = rows.annotate(role=F("item__membership__role")).order_by().values(key).annotate(**sums).order_by(key)
    return [{"date": _as_date(row[key]), **{name: figure(row[name], kinds[name]) for name in sums}} for row in grouped]


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def trend_series(filters: Filters, days: int, lookups: dict[str, Any], buckets: dict[str, Q]) -> dict[str, Any]:
    """On-hand per day (snapshots), burn per day (burnrate_daily) and PO per week, as_of - days to as_of.

    The window has the edges of the KPIs' PO window, so the weeks of a
    90-day trend add up to po_qty_90d and po_spend_90d.

    `lookups` choose the items (on the item's path), `buckets` split them
    into columns (original/replacement, or one bucket for an item). Burn rows
    count where the item is stocked, like the KPIs; PO lines ignore the
    location filter. Weeks start on Monday.
    """
    start = filters.as_of - timedelta(days=days)
    snapshots = _at_location(
        OnHandSnapshot.objects.filter(snapshot_date__gte=start, snapshot_date__lte=filters.as_of, **lookups), filters
    )
    stocked = ItemLocation.objects.filter(item_id=OuterRef("item_id"), location_id=OuterRef("location_id"))
    burns = _at_location(
        BurnRateDaily.objects.filter(Exists(stocked), as_of_date__gte=start, as_of_date__lte=filters.as_of, **lookups),
        filters,
    )
    lines = PoLine.objects.filter(po_date__gte=start, po_date__lte=filters.as_of, **lookups).annotate(
        week=TruncWeek("po_date"), spend=F("qty_ea") * F("price")
    )
    return {
        "start": start,
        "end": filters.as_of,
        "days": days,
        "on_hand": _series(snapshots, "snapshot_date", {"on_hand_ea": ("on_hand_ea", "ea")}, buckets),
        "burn": _series(burns, "as_of_date", {"burn_ea_per_day": ("burnrate_ea_per_day", "burn")}, buckets),
        "po_weekly": _series(lines, "week", {"po_qty": ("qty_ea", "ea"), "po_spend": ("spend", "money")}, buckets),
    }


def role_buckets() -> dict[str, Q]:
    return {f"{role}_": Q(role=role) for role in ROLES}


def group_trends(group_id: int, filters: Filters, days: int) -> dict[str, Any]:
    return {"group_id": group_id, "location_id": filters.location_param} | trend_series(
        filters, days, _member(group_id=group_id), role_buckets()
    )


def item_trends(item_id: int, filters: Filters, days: int) -> dict[str, Any]:
    return {"item_id": item_id, "location_id": filters.location_param} | trend_series(
        filters, days, {"item_id": item_id}, {"": Q()}
    )


def location_choices() -> list[tuple[int, str]]:
    return [(loc.location_id, str(loc)) for loc in Location.objects.order_by("location_id")]


def group_exists(group_id: int) -> bool:
    return ItemGroup.objects.filter(group_id=group_id).exists()


def item_exists(item_id: int) -> bool:
    return Item.objects.filter(item_id=item_id).exists()

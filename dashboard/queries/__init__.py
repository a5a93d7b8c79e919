"""Dashboard reads: conversion KPIs per group, per item and for the overview.

Every figure is summed by the database (docs/DESIGN.md, "KPIs"); Python
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
    Exists,
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
from django.db.models.functions import Coalesce, TruncWeek
from django.db.models.lookups import GreaterThan

from collector.models import ItemGroup, ItemGroupMember
from collector.naming import annotate_group_title
from dashboard import kpis
from dashboard.kpis import coverage_days, figure, readiness_pct, run_out
from dashboard.outcomes import MAX_TREND_DAYS, weeks
from dashboard.queries.onhand import ZERO, on_hand_as_of, on_hand_source
from dashboard.queries.stages import count_stages, location_stages, readiness_counts
from plmtracker.inventory.models import BurnRateDaily, Item, ItemLocation, Location, OnHandSnapshot, PoLine

PO_WINDOW_DAYS = 90
ROLES = ("original", "replacement")
TOP_GROUPS = 25


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


def total(rows: QuerySet, value: Expression | F) -> Coalesce:
    return Coalesce(SumOf(rows, value), ZERO)


def at_location(rows: QuerySet, filters: Filters) -> QuerySet:
    return rows if filters.location_id is None else rows.filter(location_id=filters.location_id)


def membership_lookups(prefix: str = "item__", **lookups: Any) -> dict[str, Any]:
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
    """Item locations (the chosen location only, when one is given) annotated with `on_hand` (as of as_of:
    `dashboard.queries.onhand`) and `burn`."""
    pairs = at_location(ItemLocation.objects.filter(**lookups), filters)
    return pairs.annotate(on_hand=on_hand_as_of(filters.as_of), burn=Coalesce(latest_burn(filters.as_of), ZERO))


def po_window(filters: Filters, **lookups: Any) -> QuerySet[PoLine]:
    """PO lines with as_of - 90 days <= po_date <= as_of; no location filter (they carry none)."""
    return PoLine.objects.filter(po_date__gte=filters.window_start, po_date__lte=filters.as_of, **lookups)


def _measures(pairs: QuerySet, lines: QuerySet, prefix: str = "") -> dict[str, Expression]:
    """On-hand, burn, PO quantity and spend of a set of stock pairs and PO lines.

    Spend is sum(qty_ea * price): a line with no price has a NULL product,
    which SUM skips, so it adds 0.
    """
    return {
        f"{prefix}on_hand_ea": total(pairs, F("on_hand")),
        f"{prefix}burn_ea_per_day": total(pairs, F("burn")),
        f"{prefix}po_qty_90d": total(lines, F("qty_ea")),
        f"{prefix}po_spend_90d": total(lines, F("qty_ea") * F("price")),
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
)


def _groups() -> QuerySet[ItemGroup]:
    """Groups with their `title` (collector.naming: the name, else "original -> replacement")."""
    return annotate_group_title(ItemGroup.objects.order_by())


def _group_measures(filters: Filters) -> dict[str, Expression]:
    """Per-group KPIs for an ItemGroup queryset, each a correlated subquery on the group."""
    measures: dict[str, Expression] = {}
    for role in ROLES:
        members = membership_lookups(group_id=OuterRef("group_id"), role=role)
        measures |= _measures(stock_pairs(filters, **members), po_window(filters, **members), f"{role}_")
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
    measures = _group_measures(filters)
    return _groups().annotate(**measures).values(*GROUP_FIELDS, *measures)


def _readiness_figures(counts: dict[str, int]) -> dict[str, Any]:
    """readiness_pct (stage ready, live or converted) and setup_pct (a replacement row) with their counts."""
    return {
        "original_locations": counts["original_locations"],
        "ready_locations": counts["ready_locations"],
        "setup_locations": counts["setup_locations"],
        "readiness_pct": readiness_pct(counts["original_locations"], counts["ready_locations"]),
        "setup_pct": readiness_pct(counts["original_locations"], counts["setup_locations"]),
    }


def with_readiness(filters: Filters, rows: list[dict[str, Any]], group_ids: QuerySet) -> list[dict[str, Any]]:
    """Each group row with its readiness figures and stage counts, from one stage query over `group_ids`
    (a subquery choosing at least the rows' groups, so no long IN list reaches the database)."""
    by_group: dict[int, list[dict[str, Any]]] = {row["group_id"]: [] for row in rows}
    for stage_row in location_stages(filters, group_ids):
        if stage_row["group_id"] in by_group:
            by_group[stage_row["group_id"]].append(stage_row)
    return [
        row
        | _readiness_figures(readiness_counts(by_group[row["group_id"]]))
        | {"stage_counts": count_stages(by_group[row["group_id"]])}
        for row in rows
    ]


def _group_summary(row: dict[str, Any]) -> dict[str, Any]:
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
        "original": _kpi_block(row, "original_"),
        "replacement": _kpi_block(row, "replacement_"),
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


StrandedDays = int | Expression


def stranded_measures(filters: Filters, days: StrandedDays) -> tuple[dict[str, Expression], dict[str, Expression]]:
    """Original stock still on hand after `days` more days at the current burn, in EA and dollars.

    Per original stock pair: max(0, on_hand - burn * days) (a pair with no
    burn keeps all of it); in dollars at the item's latest priced PO line on
    or before as_of (an item never bought with a price adds 0 dollars).
    `days` is a number, or an expression per pair (NULL leaves the pair out).
    Returns the annotations for stock pairs and the sums over them.
    """
    left = F("on_hand") - F("burn") * (Value(days) if isinstance(days, int) else days)
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
    filters: Filters, group_id: int, stranded_days: StrandedDays | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The group's stock per location and in total, from ONE grouped pass over its stock pairs.

    The database sums on-hand, burn, pair counts and the stranded stock per
    (location, role); the at most two rows per location it returns are then
    arranged into the location table and added up into the role totals and
    the stranded totals. Only for databases that sum over
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
    policy (docs/DESIGN.md, "Stranded stock"), and the days left to the end date.

    Returns (days, days_left): days is 0-days for `use_up` (nothing is
    stranded: 0 is returned as a number and the caller reports 0), the days to
    the end date for `use_until_end` (None without one), and for `immediate` a
    per-pair expression, the days to the go-live of the pair's location (pairs
    whose location has none are left out; None when no original location has one).
    """
    left = kpis.days_left(filters.as_of, group["end_date"])
    policy = group["use_up_policy"]
    if policy == "use_until_end":
        return left, left
    if policy == "immediate":
        go_lives = {
            row["location_id"]: kpis.days_left(filters.as_of, row["go_live_date"])
            for row in stage_rows
            if row["original_rows"] and row["go_live_date"] is not None
        }
        if not go_lives:
            return None, left
        by_location = [When(location_id=location, then=Value(days)) for location, days in go_lives.items()]
        return Case(*by_location, default=Value(None), output_field=IntegerField()), left
    return None, left  # use_up: the originals are used until gone


def leakage_cutoff(group: dict[str, Any]) -> date | None:
    """Orders of originals after this day are leakage: last_order_date, else start_date."""
    return group["last_order_date"] or group["start_date"]


def _stage_location(loc: dict[str, Any], stage: dict[str, Any], as_of: date) -> dict[str, Any]:
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


def _source(filters: Filters, **snapshot_lookups: Any) -> dict[str, Any]:
    source = on_hand_source(filters.as_of, filters.location_id, **snapshot_lookups)
    return {"from_snapshots": source.from_snapshots, "snapshot_date": source.snapshot_date, "label": source.label}


def group_kpis(group_id: int, filters: Filters) -> dict[str, Any] | None:
    """The group's KPI body (the JSON API's shape), or None when there is no such group."""
    row = _groups().filter(group_id=group_id).values(*GROUP_FIELDS).first()
    if row is None:
        return None
    stages = location_stages(filters, [group_id])
    days, left = stranded_days(filters, row, stages)
    if sums_over_subqueries(ItemLocation):
        location_list, stock = group_stock_by_location(filters, group_id, days)
    else:
        stock = _stock_role_sums(filters, days, group_id=group_id)
        location_list = list(location_rows(filters, group_id))
    cutoff = leakage_cutoff(row)
    members = list(member_rows(filters, group_id))
    outcome, factors = outcomes.group_outcome(filters, group_id, members)
    readiness = _readiness_figures(readiness_counts(stages))
    sums = stock | _po_sums(filters, cutoff, group_id=group_id) | readiness
    summary = _summary(sums)
    original = summary["original"]
    policy = row["use_up_policy"]
    stranded = policy == "use_up" or days is not None
    no_stranded = policy == "use_up"  # nothing is stranded: 0, not a sum
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
        "on_hand_source": _source(filters, item__membership__group_id=group_id),
        "original": original,
        "replacement": summary["replacement"],
        **{name: summary[name] for name in READINESS_FIELDS},
        "stage_counts": count_stages(stages),
        "items": [item | outcomes.member_equivalents(item, factors) for item in map(_item_row, members)],
        "locations": [
            _stage_location(loc, stage_by_location[loc["location_id"]], filters.as_of) for loc in location_list
        ],
        **run_out(filters.as_of, original["on_hand_ea"], original["burn_ea_per_day"]),
        "stranded": {
            "policy": policy,
            "end_date": row["end_date"],
            "days_left": left,
            "on_hand_ea": (0.0 if no_stranded else figure(sums["stranded_ea"], "ea")) if stranded else None,
            "value": (0.0 if no_stranded else figure(sums["stranded_value"], "money")) if stranded else None,
        },
        "leakage": {
            "since": cutoff,
            "po_qty": figure(sums["leakage_qty"], "ea") if cutoff else None,
            "po_spend": figure(sums["leakage_spend"], "money") if cutoff else None,
        },
        "outcome": outcome,
    }


# --- overview ---------------------------------------------------------------


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
    summaries = [_group_summary(row) for row in rows.order_by("-original_po_spend_90d", "group_id")]
    return with_readiness(filters, summaries, chosen) if summaries else []


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


def pooled_readiness(filters: Filters, **member_lookups: Any) -> dict[str, Any]:
    """Readiness pooled over the groups of the chosen members: of their (group, location) pairs where an
    original is stocked, the pairs at stage ready, live or converted (and, for setup_pct, the pairs where a
    replacement has a row). One stage query."""
    groups = ItemGroupMember.objects.filter(**member_lookups).values("group_id")
    return _readiness_figures(readiness_counts(location_stages(filters, groups)))


STOCK_COLUMNS: dict[str, str | Expression] = {"on_hand_ea": "on_hand", "burn_ea_per_day": "burn"}
PO_COLUMNS: dict[str, str | Expression] = {"po_qty_90d": "qty_ea", "po_spend_90d": F("qty_ea") * F("price")}


def _stock_role_sums(
    filters: Filters, stranded_days: StrandedDays | None = None, **member_lookups: Any
) -> dict[str, Any]:
    """Role sums of on-hand and burn over the chosen members' stock pairs (with the stranded stock when
    `stranded_days` is given): one pass."""
    pairs, extra = stock_pairs(filters, **membership_lookups(**member_lookups)), {}
    if stranded_days is not None:
        annotations, extra = stranded_measures(filters, stranded_days)
        pairs = pairs.annotate(**annotations)
    return _role_sums(pairs, STOCK_COLUMNS, **extra)


def _stock_sums(filters: Filters, stranded_days: StrandedDays | None = None, **member_lookups: Any) -> dict[str, Any]:
    """The role sums of `_stock_role_sums` and the readiness figures: two passes."""
    return _stock_role_sums(filters, stranded_days, **member_lookups) | pooled_readiness(filters, **member_lookups)


def _po_sums(filters: Filters, leakage_since: date | None = None, **member_lookups: Any) -> dict[str, Any]:
    """Role sums of the 90-day PO figures of the chosen members (and the leakage since `leakage_since`)."""
    members = membership_lookups(**member_lookups)
    lines, in_window, extra = po_window(filters, **members), None, {}
    if leakage_since is not None:
        earliest = min(filters.window_start, leakage_since + timedelta(days=1))
        lines = PoLine.objects.filter(po_date__gte=earliest, po_date__lte=filters.as_of, **members)
        in_window, extra = Q(po_date__gte=filters.window_start), leakage_measures(leakage_since)
    return _role_sums(lines, PO_COLUMNS, in_window, **extra)


READINESS_FIELDS = ("readiness_pct", "setup_pct", "original_locations", "ready_locations", "setup_locations")


def _summary(sums: dict[str, Any]) -> dict[str, Any]:
    """Original and replacement KPI blocks from the role sums, with the readiness figures among them."""
    return {
        "original": _kpi_block(sums, "original_"),
        "replacement": _kpi_block(sums, "replacement_"),
        **{name: sums[name] for name in READINESS_FIELDS},
    }


def _role_totals(
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
        "on_hand_source": _source(filters, item__membership__group__status="active"),
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
            "on_hand_ea": figure(pair["on_hand"], "ea"),
            "burn_ea_per_day": figure(pair["burn"], "burn"),
            "coverage_days": coverage_days(pair["on_hand"], pair["burn"]),
            **run_out(filters.as_of, pair["on_hand"], pair["burn"]),
        }
        for pair in stock_pairs(filters, item_id=item_id)
        .order_by("location_id")
        .values("location_id", "location__location_name", "location__location_type", "on_hand", "burn")
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
        "on_hand_source": _source(filters, item_id=item_id),
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
    return [{"date": as_date(row[key]), **{name: figure(row[name], kinds[name]) for name in sums}} for row in grouped]


def as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def trend_series(filters: Filters, days: int, lookups: dict[str, Any], buckets: dict[str, Q]) -> dict[str, Any]:
    """On-hand per day (snapshots), burn per day (burnrate_daily) and PO per week, as_of - days to as_of.

    The window has the edges of the KPIs' PO window, so the weeks of a
    90-day trend add up to po_qty_90d and po_spend_90d.

    `lookups` choose the items (on the item's path), `buckets` split them
    into columns (original/replacement, or one bucket for an item). Burn rows
    count where the item is stocked, like the KPIs; PO lines ignore the
    location filter. Weeks start on Monday; every week of the window has its
    row (0 when nothing was bought). The window is at most MAX_TREND_DAYS long.
    """
    days = min(days, MAX_TREND_DAYS)
    start = filters.as_of - timedelta(days=days)
    snapshots = at_location(
        OnHandSnapshot.objects.filter(snapshot_date__gte=start, snapshot_date__lte=filters.as_of, **lookups), filters
    )
    stocked = ItemLocation.objects.filter(item_id=OuterRef("item_id"), location_id=OuterRef("location_id"))
    burns = at_location(
        BurnRateDaily.objects.filter(Exists(stocked), as_of_date__gte=start, as_of_date__lte=filters.as_of, **lookups),
        filters,
    )
    lines = PoLine.objects.filter(po_date__gte=start, po_date__lte=filters.as_of, **lookups).annotate(
        week=TruncWeek("po_date"), spend=F("qty_ea") * F("price")
    )
    po_measures = {"po_qty": ("qty_ea", "ea"), "po_spend": ("spend", "money")}
    return {
        "start": start,
        "end": filters.as_of,
        "days": days,
        "on_hand": _series(snapshots, "snapshot_date", {"on_hand_ea": ("on_hand_ea", "ea")}, buckets),
        "burn": _series(burns, "as_of_date", {"burn_ea_per_day": ("burnrate_ea_per_day", "burn")}, buckets),
        "po_weekly": _every_week(
            _series(lines, "week", po_measures, buckets),
            [f"{b}{name}" for b in buckets for name in po_measures],
            start,
            filters.as_of,
        ),
    }


def _every_week(rows: list[dict[str, Any]], columns: list[str], start: date, end: date) -> list[dict[str, Any]]:
    """Weekly rows for every week from start's to end's, the weeks nobody bought in as zeros (not a gap)."""
    found = {row["date"]: row for row in rows}
    return [found.get(week, {"date": week, **dict.fromkeys(columns, 0.0)}) for week in weeks(start, end)]


def role_buckets() -> dict[str, Q]:
    return {f"{role}_": Q(role=role) for role in ROLES}


def group_trends(group_id: int, filters: Filters, days: int) -> dict[str, Any]:
    return {"group_id": group_id, "location_id": filters.location_param} | trend_series(
        filters, days, membership_lookups(group_id=group_id), role_buckets()
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


# The outcome queries build on the helpers above.
from dashboard.queries import outcomes  # noqa: E402

# Public for the kept daily figures (dashboard.figures), which shape rows exactly as the live path does.
group_summary, kpi_block, readiness_figures = _group_summary, _kpi_block, _readiness_figures

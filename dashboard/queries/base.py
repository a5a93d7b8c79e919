"""The building blocks of the dashboard's reads: the filters, stock pairs, PO windows and the sums over them.

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
- the role sums (`role_sums`, `stock_role_sums`, `po_sums`) take one pass over
  the chosen members' rows and name each sum <role>_<figure>.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connections, router
from django.db.models import (
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from dashboard.kpis import coverage_days, figure, readiness_pct
from dashboard.queries.onhand import ZERO, on_hand_as_of, on_hand_source
from dashboard.rules import stranded_ea_sql
from plmtracker.inventory.models import BurnRateDaily, ItemLocation, PoLine

PO_WINDOW_DAYS = 90
ROLES = ("original", "replacement")


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


def sums_over_subqueries(model: type) -> bool:
    """Whether the database `model` is read from sums over a subquery in a grouped query.

    PostgreSQL and SQLite do; SQL Server refuses `SUM((SELECT ...))` (error
    130), so there the sums over the latest burn go through correlated
    derived tables instead (`SumOf`).
    """
    return connections[router.db_for_read(model)].vendor != "microsoft"


def as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def stock_and_po_measures(pairs: QuerySet, lines: QuerySet, prefix: str = "") -> dict[str, Expression]:
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


def kpi_block(row: dict[str, Any], prefix: str = "") -> dict[str, float | None]:
    on_hand, burn = row[f"{prefix}on_hand_ea"], row[f"{prefix}burn_ea_per_day"]
    return {
        "on_hand_ea": figure(on_hand, "ea"),
        "burn_ea_per_day": figure(burn, "burn"),
        "coverage_days": coverage_days(on_hand, burn),
        "po_qty_90d": figure(row[f"{prefix}po_qty_90d"], "ea"),
        "po_spend_90d": figure(row[f"{prefix}po_spend_90d"], "money"),
    }


def readiness_figures(counts: dict[str, int]) -> dict[str, Any]:
    """readiness_pct (stage ready, live or converted) and setup_pct (a replacement row) with their counts."""
    return {
        "original_locations": counts["original_locations"],
        "ready_locations": counts["ready_locations"],
        "setup_locations": counts["setup_locations"],
        "readiness_pct": readiness_pct(counts["original_locations"], counts["ready_locations"]),
        "setup_pct": readiness_pct(counts["original_locations"], counts["setup_locations"]),
    }


READINESS_FIELDS = ("readiness_pct", "setup_pct", "original_locations", "ready_locations", "setup_locations")


def role_summary(sums: dict[str, Any]) -> dict[str, Any]:
    """Original and replacement KPI blocks from the role sums, with the readiness figures among them."""
    return {
        "original": kpi_block(sums, "original_"),
        "replacement": kpi_block(sums, "replacement_"),
        **{name: sums[name] for name in READINESS_FIELDS},
    }


def source_fields(filters: Filters, **snapshot_lookups: Any) -> dict[str, Any]:
    source = on_hand_source(filters.as_of, filters.location_id, **snapshot_lookups)
    return {"from_snapshots": source.from_snapshots, "snapshot_date": source.snapshot_date, "label": source.label}


StrandedDays = int | Expression


def stranded_measures(filters: Filters, days: StrandedDays) -> tuple[dict[str, Expression], dict[str, Expression]]:
    """Original stock still on hand after `days` more days at the current burn, in EA and dollars.

    Per original stock pair: max(0, on_hand - burn * days) (a pair with no
    burn keeps all of it); in dollars at the item's latest priced PO line on
    or before as_of (an item never bought with a price adds 0 dollars).
    `days` is a number, or an expression per pair (NULL leaves the pair out).
    Returns the annotations for stock pairs and the sums over them.
    """
    annotations = {"price": latest_price(filters.as_of), "stranded": stranded_ea_sql(days)}
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


def role_sums(
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


STOCK_COLUMNS: dict[str, str | Expression] = {"on_hand_ea": "on_hand", "burn_ea_per_day": "burn"}
PO_COLUMNS: dict[str, str | Expression] = {"po_qty_90d": "qty_ea", "po_spend_90d": F("qty_ea") * F("price")}


def stock_role_sums(
    filters: Filters, stranded_days: StrandedDays | None = None, **member_lookups: Any
) -> dict[str, Any]:
    """Role sums of on-hand and burn over the chosen members' stock pairs (with the stranded stock when
    `stranded_days` is given): one pass."""
    pairs, extra = stock_pairs(filters, **membership_lookups(**member_lookups)), {}
    if stranded_days is not None:
        annotations, extra = stranded_measures(filters, stranded_days)
        pairs = pairs.annotate(**annotations)
    return role_sums(pairs, STOCK_COLUMNS, **extra)


def po_sums(filters: Filters, leakage_since: date | None = None, **member_lookups: Any) -> dict[str, Any]:
    """Role sums of the 90-day PO figures of the chosen members (and the leakage since `leakage_since`)."""
    members = membership_lookups(**member_lookups)
    lines, in_window, extra = po_window(filters, **members), None, {}
    if leakage_since is not None:
        earliest = min(filters.window_start, leakage_since + timedelta(days=1))
        lines = PoLine.objects.filter(po_date__gte=earliest, po_date__lte=filters.as_of, **members)
        in_window, extra = Q(po_date__gte=filters.window_start), leakage_measures(leakage_since)
    return role_sums(lines, PO_COLUMNS, in_window, **extra)

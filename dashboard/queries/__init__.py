"""Dashboard reads: conversion KPIs per group, per item and for the overview.

Every figure is summed by the database (docs/DESIGN.md, "KPIs"); Python
only divides sums it got back (`dashboard.kpis`) and shapes them for pages,
exports and the JSON API. The number of queries does not depend on how many
groups, members, locations or days there are.

The modules:

- `base`: the filters, stock pairs, PO windows, and the role sums over them;
- `onhand`: on-hand as of a day (today's rows or the snapshots);
- `stages`: the location stages per (group, location);
- `group`: one group's KPI body and the group rows of lists;
- `overview`: the active groups ranked, and the overview's cards;
- `item`: one item's KPIs;
- `trends`: a group's or an item's figures per day and week;
- `outcomes`: equivalent units, compliance and savings.

The names callers use are importable from the package itself.
"""

from dashboard.queries.base import PO_WINDOW_DAYS, ROLES, Filters, latest_burn, stock_pairs, total
from dashboard.queries.group import group_exists, group_kpis, group_rows, location_choices
from dashboard.queries.item import item_exists, item_kpis
from dashboard.queries.overview import TOP_GROUPS, overview_groups, overview_kpis
from dashboard.queries.trends import group_trends, item_trends

__all__ = [
    "PO_WINDOW_DAYS",
    "ROLES",
    "TOP_GROUPS",
    "Filters",
    "group_exists",
    "group_kpis",
    "group_rows",
    "group_trends",
    "item_exists",
    "item_kpis",
    "item_trends",
    "latest_burn",
    "location_choices",
    "overview_groups",
    "overview_kpis",
    "stock_pairs",
    "total",
]

"""The dashboard's queries compile to T-SQL that SQL Server accepts, without a server.

SQL Server refuses an aggregate over an expression holding a subquery
(`SUM((SELECT ...))`, error 130), which Django writes when it sums an
annotation such as the latest burn rate directly: every aggregate must take
plain columns, and the sums over subqueries go through derived tables.
"""

from contextlib import contextmanager
from datetime import date
from unittest import mock

import pytest
import sqlglot
from django.db import router
from django.db.models import Case, IntegerField, Sum, Value, When
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.constants import MULTI
from sqlglot import exp

from collector.models import ItemGroup
from dashboard import queries
from dashboard.queries import Filters, group, overview
from dashboard.queries.onhand import on_hand_source
from dashboard.queries.stages import location_stages
from plmtracker.ops.sqlserver import ALIAS, offline_connection
from tests.dashboard.conftest import AS_OF

FILTERS = [Filters(date(2026, 11, 20)), Filters(date(2026, 11, 20), location_id=1001)]


@contextmanager
def tsql_statements():
    """Send every read to the offline SQL Server connection and collect the T-SQL instead of running it."""
    offline_connection()
    statements: list[tuple[str, tuple]] = []
    real = SQLCompiler.execute_sql

    def collect(self, result_type=MULTI, *args, **kwargs):
        if self.connection.alias != ALIAS:
            return real(self, result_type, *args, **kwargs)
        statements.append(self.as_sql())
        return iter([]) if result_type == MULTI else None

    with (
        mock.patch.object(SQLCompiler, "execute_sql", collect),
        mock.patch.object(router, "db_for_read", lambda *args, **kwargs: ALIAS),
    ):
        yield statements


def parse_tsql(sql: str, params) -> exp.Expression:
    literal = sql % tuple(
        "'2026-01-01'" if isinstance(p, date) else repr(p) if isinstance(p, str) else str(p) for p in params
    )
    return sqlglot.parse_one(literal, read="tsql")


def assert_sql_server_accepts(sql: str, params) -> None:
    tree = parse_tsql(sql, params)
    for aggregate in tree.find_all(exp.AggFunc):
        inner = [*aggregate.find_all(exp.Subquery, exp.Exists, exp.Select)]
        assert not inner, f"SQL Server cannot aggregate over a subquery: {aggregate.sql(dialect='tsql')[:200]}"


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "one-location"])
def test_every_dashboard_query_compiles_to_tsql(filters):
    with tsql_statements() as statements:
        queries.overview_kpis(filters)
        queries.overview_groups(filters)
        list(queries.group_rows(filters).filter(group_id=5))
        overview.role_totals(filters, stranded_days=30, leakage_since=date(2026, 10, 1), group_id=5)
        list(group.member_rows(filters, 5))
        list(group.location_rows(filters, 5))
        queries.item_kpis(7, filters)
        list(queries.stock_pairs(filters, item_id=7))
        queries.group_trends(5, filters, 180)
        queries.item_trends(7, filters, 180)
    assert len(statements) == 19  # overview 4, top groups 1, group 6, item 2, trends 6
    for sql, params in statements:
        assert_sql_server_accepts(sql, params)


@pytest.mark.parametrize("filters", [*FILTERS, Filters(date(2026, 1, 5))], ids=["all", "one-location", "snapshots"])
def test_location_stages_compile_to_tsql(filters):
    with tsql_statements() as statements:
        location_stages(filters)
        location_stages(filters, [5, 6])
        location_stages(filters, ItemGroup.objects.filter(status="active").values("group_id")[:25])
        on_hand_source(filters.as_of, item__membership__group_id=5)
    past = filters.as_of < AS_OF  # "today" in these tests: before it, on-hand comes from the snapshots
    assert len(statements) == (4 if past else 3)  # a past day adds the latest snapshot date
    assert ("[on_hand_snapshot]" in statements[0][0]) == past
    for sql, params in statements:
        assert_sql_server_accepts(sql, params)
    assert "GROUP BY" not in statements[0][0]  # one row per (group, location): its first member row


def test_immediate_stranded_stock_per_location_go_live_compiles_to_tsql():
    days = Case(When(location_id=1001, then=Value(10)), default=Value(None), output_field=IntegerField())
    with tsql_statements() as statements:
        overview.role_totals(FILTERS[0], stranded_days=days, leakage_since=date(2026, 10, 1), group_id=5)
    assert len(statements) == 3  # stock pairs with the stranded stock, the readiness stages, PO lines
    for sql, params in statements:
        assert_sql_server_accepts(sql, params)
    assert "CASE WHEN" in statements[0][0]


def test_the_latest_burn_is_one_top_1_seek_per_stock_pair():
    with tsql_statements() as statements:
        list(queries.stock_pairs(FILTERS[0], item_id=7))
    ((sql, _),) = statements
    assert "COALESCE((SELECT TOP 1 U0.[burnrate_ea_per_day]" in sql
    assert "U0.[as_of_date] <= %s" in sql
    assert "ORDER BY U0.[as_of_date] DESC)" in sql


def test_the_check_catches_an_aggregate_over_a_subquery():
    """What the ORM writes when it sums the latest burn directly: SQL Server would refuse it."""
    direct = queries.stock_pairs(FILTERS[0]).order_by().values("item_id").annotate(total=Sum("burn"))
    with tsql_statements() as statements:
        list(direct)
    ((sql, params),) = statements
    with pytest.raises(AssertionError, match="cannot aggregate over a subquery"):
        assert_sql_server_accepts(sql, params)


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "one-location"])
def test_outcome_queries_compile_to_tsql(filters):
    from dashboard.queries import outcomes

    with tsql_statements() as statements:
        outcomes.group_outcomes(filters, [5, 6])
        outcomes.group_outcomes(filters)
        outcomes.active_outcomes(filters)
        outcomes.compliance_trend(5, date(2026, 7, 1), filters.as_of)
    assert len(statements) == 14  # 4 per call, 2 for the trend
    for sql, params in statements:
        assert_sql_server_accepts(sql, params)
    stock = statements[2][0]
    assert "SELECT SUM(summed.summand)" in stock  # the per-item sums over the latest burn go through derived tables


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "one-location"])
def test_stranded_stock_of_many_groups_compiles_to_tsql(filters):
    from dashboard.queries.stranded import stranded_by_group

    with tsql_statements() as statements:
        stranded_by_group(filters, ItemGroup.objects.filter(status="active").values("group_id")[:25])
    assert len(statements) == 1  # every original pair of the chosen groups, with its go-live and price
    for sql, params in statements:
        assert_sql_server_accepts(sql, params)


def test_the_daily_figures_reads_compile_to_tsql():
    from dashboard.figures import selectors as figures
    from dashboard.figures import services

    with tsql_statements() as statements, mock.patch.object(services, "due_groups", return_value=[]):
        figures.overview(FILTERS[0])
        figures.group_history(5, AS_OF)
        figures.stage_share_history(AS_OF)
    assert len(statements) == 4  # sums, top rows, history, stage share
    for sql, params in statements:
        assert_sql_server_accepts(sql, params)
    assert "SUM([daily_figures].[stage_not_set_up])" in statements[-1][0]  # the stage counts summed by the database
    top = parse_tsql(*statements[1])
    assert [column.sql(dialect="tsql") for column in top.args["order"].expressions] == [
        "[daily_figures].[original_po_spend_90d] DESC",
        "[daily_figures].[group_id] ASC",
    ]  # the rank index's order: the top rows are read in order, not sorted


def test_the_stamp_check_is_a_join_sql_server_accepts():
    """The stamp check is written by hand (a LEFT JOIN, which Django's ORM writes only along a relation)."""
    from dashboard.figures.services import due_sql

    tree = parse_tsql(due_sql(offline_connection()), [AS_OF])
    join = tree.find(exp.Join)
    assert join.side == "LEFT" and join.this.sql(dialect="tsql") == "[daily_figures] AS f"
    assert tree.args["where"].sql(dialect="tsql") == (
        "WHERE f.[group_updated_at] IS NULL OR f.[group_updated_at] < g.[updated_at]"
    )

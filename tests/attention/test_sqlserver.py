"""The attention queries compile to T-SQL that SQL Server accepts, without a server."""

from datetime import date

import pytest

from attention import rules
from attention.queries import _group_facts, _groups
from collector.models import ItemGroup
from collector.naming import annotate_group_title
from tests.dashboard.test_sqlserver import assert_sql_server_accepts, tsql_statements


@pytest.mark.parametrize("as_of", [date(2030, 1, 1), date(2026, 1, 5)], ids=["stock-records", "snapshots"])
def test_group_facts_compile_to_tsql(as_of):
    with tsql_statements() as statements:
        list(_group_facts(_groups(rules.STATUSES, None), as_of, set(rules.KINDS)))
        list(_group_facts(_groups(["active"], 3), as_of, {"overdue"}))
    assert len(statements) == 2
    facts = statements[0][0]
    assert "[group_alert]" in facts and "[po_line]" in facts and "[burnrate_daily]" in facts
    for sql, params in statements:
        assert_sql_server_accepts(sql, params)


def test_group_titles_compile_to_tsql():
    with tsql_statements() as statements:
        list(annotate_group_title(ItemGroup.objects.all()))
    ((sql, params),) = statements
    assert "TOP 1" in sql
    assert_sql_server_accepts(sql, params)


def test_todays_ordered_page_compiles_to_tsql():
    from attention.memory import listed_runs

    with tsql_statements() as statements:
        list(listed_runs(date(2026, 12, 7), kinds=["leakage"], owner_id=3, statuses=["active"], new_only=True)[100:200])
    ((sql, params),) = statements
    assert "ORDER BY" in sql and "OFFSET" in sql
    assert_sql_server_accepts(sql, params)


def test_the_kept_folds_compile_to_tsql():
    """What the page reads (totals, then the first page) and what a refresh or an action writes."""
    from django.db import connections

    from attention.memory import fold_order, fold_totals, kept_folds, listed_runs
    from attention.services import fold_insert
    from tests.dashboard.test_sqlserver import ALIAS

    day = date(2026, 12, 7)
    with tsql_statements() as statements:
        folds = kept_folds(day, kinds=["leakage"], owner_id=3, statuses=["active"], severity=2)
        fold_totals(folds)
        list(fold_order(folds)[:50])
    assert len(statements) == 2
    assert "ORDER BY" in statements[1][0] and "TOP" in statements[1][0]
    insert = fold_insert(connections[ALIAS], day, listed_runs(day).filter(group_id__in=[1, 2]))
    assert insert[0].startswith("INSERT INTO [attention_fold]") and "GROUP BY" in insert[0]
    for sql, params in [*statements, insert]:
        assert_sql_server_accepts(sql, params)

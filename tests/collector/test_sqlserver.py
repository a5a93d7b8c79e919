"""The collector's reads compile to T-SQL that parses (no server: see plmtracker.ops.sqlserver)."""

import pytest
import sqlglot

from collector import plans, selectors
from collector.models import RelationAudit
from plmtracker.ops.sqlserver import offline_connection

QUERYSETS = {
    "typeahead, one word": lambda: selectors.item_search_queryset("4812"),
    "typeahead, words": lambda: selectors.item_search_queryset("glove nitrile blue"),
    "groups with counts, filtered": lambda: selectors.groups_with_counts().filter(selectors.groups_matching("glove")),
    "conflicts": lambda: selectors.conflicts().filter(resolved_at__isnull=True).order_by("-noted_at")[:25],
    "a group's open conflicts": lambda: selectors.group_open_conflicts(7).select_related("item")[:10],
    "merging groups' descriptions": lambda: selectors.member_descriptions([3, 7]),
    "merged groups' history": lambda: RelationAudit.objects.filter(
        action="group_merge", group_id__in=[1, 2], details__loser_group_id__isnull=False
    ).values_list("details__loser_group_id", flat=True),
    "groups by title": lambda: selectors.groups_with_counts().order_by("title")[:25],
    "groups by name or member": lambda: selectors.groups_with_counts().filter(selectors.groups_matching("gloves")),
    "conflicts with group titles": lambda: selectors.conflicts().order_by("group_title")[:25],
    "go-live table": lambda: selectors.location_rows_queryset(7),
    "stocked locations": lambda: plans.stocked_locations(7),
}


@pytest.mark.parametrize("name", QUERYSETS)
def test_collector_reads_compile_to_tsql(name):
    connection = offline_connection()
    queryset = QUERYSETS[name]()
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    sqlglot.parse_one(sql.replace("%s", "1"), read="tsql")
    if name.startswith("typeahead"):
        assert "LIKE" in sql.upper()  # SQL Server scans with LIKE (no trigram index)


@pytest.mark.parametrize("step", [0, 1], ids=["fill the winner's empty dates", "move the loser's other rows"])
def test_a_merge_carries_plans_in_updates_that_compile_to_tsql(step):
    from django.db.models.sql import UpdateQuery

    from collector.services import carry_updates

    rows, values = carry_updates(3, 2)[step]
    query = rows.query.chain(UpdateQuery)
    query.add_update_values(values)
    sql, params = query.get_compiler(connection=offline_connection()).as_sql()
    statements = sqlglot.parse(sql.replace("%s", "1"), read="tsql")  # mssql-django prefixes SET NOCOUNT OFF
    assert any(isinstance(s, sqlglot.exp.Update) for s in statements)

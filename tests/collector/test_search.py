"""The item typeahead: what it finds, in which order, and (on PostgreSQL) that the trigram indexes serve it."""

import pytest
from django.db import connection

from collector import selectors
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def codes(query: str, **kw) -> list[str]:
    return [o.code for o in selectors.item_search(query, **kw)]


@pytest.fixture
def catalog(db):
    rows = [
        ("7700100", "GLOVE EXAM NITRILE PF MD BLUE"),
        ("7700101", "GLOVE EXAM NITRILE PF LG BLUE"),
        ("7700200", "GLOVE SURG LATEX SZ 7"),
        ("8800100", "SYRINGE LUER LOCK 10ML"),
        ("8800777", "ADAPTER FOR 7700100 SERIES"),
        ("GX-12", "gauze sponge 4x4 (lower case in the ERP)"),
    ]
    return {code: ItemFactory(erp_item_code=code, description=desc) for code, desc in rows}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("770", ["7700100", "7700101", "7700200", "8800777"]),  # code prefix in code order, then descriptions
        ("7700100", ["7700100", "8800777"]),  # the code first, then the description that names it
        ("nitrile blue", ["7700100", "7700101"]),  # every word, in any order
        ("blue nitrile lg", ["7700101"]),
        ("GAUZE", ["GX-12"]),  # case does not matter
        ("gx", ["GX-12"]),  # a short word searches codes only
        ("pf", []),  # ... so two letters do not search descriptions
        ("glove pf", ["7700100", "7700101"]),  # a short word narrows a longer one
        ("  ", []),
        ("scalpel", []),
        ("50%", []),  # LIKE wildcards are searched for literally
        ("7700_", []),
    ],
)
def test_what_the_typeahead_finds(catalog, query, expected):
    assert codes(query) == expected


def test_the_typeahead_returns_at_most_the_limit(catalog):
    assert codes("glove", limit=2) == ["7700100", "7700101"]


def test_an_option_carries_the_items_group_and_role(catalog):
    from collector import services

    result = services.link_add(item_id=catalog["7700100"].pk, replace_item_id=catalog["7700101"].pk)
    [option] = selectors.item_search("7700101")
    assert (option.group_id, option.role) == (result.group_id, "replacement")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "index"),
    [("770", "items_code_upper_trgm"), ("nitrile", "items_description_upper_trgm")],
)
def test_postgresql_answers_the_typeahead_from_the_trigram_indexes(catalog, query, index):
    if connection.vendor != "postgresql":
        pytest.skip("The trigram indexes exist on PostgreSQL only.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
        assert cursor.fetchone() is not None
        cursor.execute("SELECT schemaname FROM pg_indexes WHERE indexname = %s", [index])
        assert cursor.fetchone() == ("PLM",)
        # A handful of rows is cheapest to read whole; forbid that to see that the indexes fit the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        queryset = selectors.item_search_queryset(query)
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan

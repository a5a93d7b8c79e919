"""Collector benchmarks: the cost of a merge by group size, and the typeahead over 100,000 items.

Everything this module adds to the bench database (big groups, extra items)
lives in one transaction that is rolled back at the end; each timed merge
runs in a savepoint rolled back after it, so every run merges the same two
groups. On PostgreSQL the foreign keys are checked when each statement ends
(`SET CONSTRAINTS ALL IMMEDIATE`), so the checks a commit would run are in
the figures.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.core import Context, Result, seconds
from collector import selectors, services
from plmtracker.demo.catalogue import CATALOG, MAKERS
from plmtracker.inventory.models import Item
from plmtracker.ops.bulk import insert_rows

BIG_GROUP = 2_000
SMALL_GROUP = 2
TYPEAHEAD_ITEMS = 100_000
REPEAT = 11  # timed merges per group size (median), after one warm-up
TYPEAHEAD_QUERIES = [
    ("an ERP code prefix (4 digits)", "4812"),
    ("an ERP code prefix (2 digits)", "48"),
    ("one description word", "catheter"),
    ("two description words", "glove purple"),
    ("three words, few matches", "needle 25g 1.5in"),
]


def new_items(count: int, prefix: str) -> list[int]:
    """Insert `count` items with codes PREFIX000001...; return their ids in code order."""
    insert_rows(
        "items",
        ["erp_item_code", "description", "active_flag"],
        ((f"{prefix}{n:06d}", f"BENCH ITEM {n}", True) for n in range(count)),
    )
    return list(
        Item.objects.filter(erp_item_code__startswith=prefix).order_by("erp_item_code").values_list("pk", flat=True)
    )


def chain_group(item_ids: list[int]) -> int:
    """One group whose members form a chain a -> b -> c ... (made by the bulk service)."""
    result = services.links_add_bulk(pairs=[(a, b, None) for a, b in zip(item_ids, item_ids[1:], strict=False)])
    return result.outcomes[0].group_id


def merge_once(size: int, run: int) -> tuple[float, int]:
    """Build two chains of `size` members, then time the link that merges them; all in a savepoint rolled back.

    The groups are made in the same savepoint as the merge, as a user's own
    transaction would hold them: row locks taken by an enclosing transaction
    would make PostgreSQL's per-row foreign-key checks far slower than they are.
    """
    sid = transaction.savepoint()
    try:
        ids = new_items(2 * size, f"BM{size:05d}-{run:02d}-")
        left, right = ids[:size], ids[size:]
        chain_group(left)
        chain_group(right)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = services.link_add(item_id=left[-1], replace_item_id=right[0])
            elapsed = time.perf_counter() - started
        assert result.action == "merge" and len(result.merged_group_ids) == 1, result
        return elapsed, len(captured.captured_queries)
    finally:
        transaction.savepoint_rollback(sid)


def merge_benchmarks(ctx: Context) -> Iterator[Result]:
    if ctx.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Check the foreign keys as each statement ends: a commit would check them too.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    figures = {}
    for size in (SMALL_GROUP, BIG_GROUP):
        runs = [merge_once(size, n) for n in range(REPEAT + 1)][1:]  # the first run warms up
        figures[size] = (statistics.median(t for t, _ in runs), runs[-1][1])
    (big_s, big_q), (small_s, small_q) = figures[BIG_GROUP], figures[SMALL_GROUP]
    yield Result(
        name=f"link_add merging two {BIG_GROUP:,}-member groups",
        ours_s=big_s,
        baseline_s=small_s,
        baseline=f"the same merging two {SMALL_GROUP}-member groups",
        queries=big_q,
        target=1.5,
        note=f"{small_q} queries for the small merge; one UPDATE moves the loser's members",
    )


# --------------------------------------------------------------------------
# Typeahead


def fill_items(target: int, seed: int) -> int:
    """Add made-up catalogue items until there are `target`; return how many were added."""
    have = Item.objects.count()
    missing = target - have
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    taken = set(Item.objects.values_list("erp_item_code", flat=True))
    codes = (str(c) for c in rng.sample(range(10_000_000, 99_999_999), missing + len(taken)))
    fresh = (c for c in codes if c not in taken)

    def rows() -> Iterable[tuple]:
        for _ in range(missing):
            template, slots, *_ = rng.choice(CATALOG)
            description = template.format(*(rng.choice(s) for s in slots)) + " " + rng.choice(MAKERS)
            yield (next(fresh), description, rng.random() > 0.03)

    insert_rows("items", ["erp_item_code", "description", "active_flag"], rows())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE items")
            # Fresh rows wait in the GIN indexes' pending lists until a vacuum; a live database has them merged.
            for index in ("items_code_upper_trgm", "items_description_upper_trgm"):
                cursor.execute("SELECT to_regclass(%s)", [index])
                if cursor.fetchone()[0]:
                    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    return missing


def hand_written_search(vendor: str, query: str) -> tuple[str, list]:
    """One SQL statement returning what `selectors.item_search` returns."""
    words = selectors.search_words(query)
    like = "UPPER({}) LIKE UPPER(%s)" if vendor == "postgresql" else "{} LIKE %s"
    code = like.format("i.erp_item_code")
    if len(words) == 1:
        where, params = [code], [words[0] + "%"]
    else:
        where, params = [], []
    if any(len(w) >= selectors.MIN_WORD for w in words):
        where.append("(" + " AND ".join(like.format("i.description") for _ in words) + ")")
        params += [f"%{w}%" for w in words]
    rank = f"CASE WHEN {code} THEN 0 ELSE 1 END, " if len(words) == 1 else ""
    rank_params = [words[0] + "%"] if len(words) == 1 else []
    sql = (
        "SELECT i.item_id, i.erp_item_code, i.description, i.active_flag, m.group_id, m.role "
        "FROM items i LEFT JOIN item_group_member m ON m.item_id = i.item_id "
        f"WHERE {' OR '.join(where)} ORDER BY {rank}i.erp_item_code LIMIT {selectors.SEARCH_LIMIT}"
    )
    return sql, params + rank_params


def typeahead_benchmarks(ctx: Context) -> Iterator[Result]:
    added = fill_items(TYPEAHEAD_ITEMS, ctx.seed)
    total = Item.objects.count()
    note = f"{total:,} items ({added:,} added for the run)"
    for label, query in TYPEAHEAD_QUERIES:
        sql, params = hand_written_search(ctx.vendor, query)

        def ours(query=query):
            return selectors.item_search(query)

        def baseline(sql=sql, params=params):
            return _fetch(sql, params)

        found = [o.item_id for o in ours()]
        assert found == [row[0] for row in baseline()], f"typeahead and hand-written SQL differ for {query!r}"
        with CaptureQueriesContext(connection) as captured:
            ours()
        yield Result(
            name=f"typeahead: {label} ({query!r}, {len(found)} shown)",
            ours_s=seconds(ours),
            baseline_s=seconds(baseline),
            baseline="hand-written SQL, same rows",
            queries=len(captured.captured_queries),
            note=note,
        )

    client = Client()
    user = bench_user()
    client.force_login(user)
    url = "/collect/items"

    def request():
        response = client.get(url, {"q": "glove purple", "picker": "item"})
        assert response.status_code == 200, response.status_code

    sql, params = hand_written_search(ctx.vendor, "glove purple")
    with CaptureQueriesContext(connection) as captured:
        request()
    count = len(captured.captured_queries)  # now: the timed requests below empty the query log
    yield Result(
        name="GET /collect/items?q=glove purple (whole request, options rendered)",
        ours_s=seconds(request),
        baseline_s=seconds(lambda: _fetch(sql, params)),
        baseline="hand-written SQL, same rows",
        queries=count,
        note="session, user and role reads included",
    )


def _fetch(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(email="bench-planner@example.org", defaults={"name": "Bench"})
    return user


def benchmarks(ctx: Context) -> Iterator[Result]:
    """Run inside one transaction that is rolled back: the bench database keeps its demo data as it was."""
    results: list[Result] = []
    with transaction.atomic():
        results.extend(merge_benchmarks(ctx))
        results.extend(typeahead_benchmarks(ctx))
        transaction.set_rollback(True)
    yield from results

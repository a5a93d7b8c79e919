"""Links files at the size limit and the pages of a 10,000-member group.

- A links file of `PLM_BULK_MAX_LINKS` links through the links feed (what the
  bulk upload's commit runs): once as pairs (each link a new group), once as
  one chain (every link grows the same group, the slowest shape). On SQLite
  the commit holds the write lock this long, so the limit is chosen to keep
  it within a few seconds.
- The collector's group page, a page of its members table and its JSON, for a
  group of 10,000 members, against the same for a group of 2: the tables are
  paged and the graph is not drawn, so the big group's answers stay small.

Everything runs in one transaction that is rolled back.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from bench.collector import bench_user, chain_group, new_items
from bench.core import Context, Result, seconds
from plmtracker.feeds import import_file

BIG_GROUP = 10_000


def links_file(pairs: list[tuple[str, str]]) -> io.BytesIO:
    text = "item,replace,reason\n" + "".join(f"{a},{b},bench\n" for a, b in pairs)
    return io.BytesIO(text.encode())


def commit_seconds(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """Wall and CPU seconds of the import. On SQLite (in-process) the CPU time is what the wall time
    would be on an idle machine; on a busy one the wall time grows with the other processes' load."""
    started, cpu = time.perf_counter(), time.process_time()
    result = import_file("links", links_file(pairs), name="links.csv")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.written and result.created == len(pairs), (result.created, result.errors[:3])
    return elapsed, cpu


def links_file_benchmarks() -> Iterator[Result]:
    limit = settings.PLM_BULK_MAX_LINKS
    codes = [f"BL{n:06d}" for n in range(4 * limit)]
    new_items(4 * limit, "BL")
    pairs = list(zip(codes[0 : 2 * limit : 2], codes[1 : 2 * limit : 2], strict=True))
    chain = list(zip(codes[2 * limit : 3 * limit], codes[2 * limit + 1 : 3 * limit + 1], strict=True))
    for shape, links in (("pairs, a new group each", pairs), ("one chain, one growing group", chain)):
        ours, cpu = commit_seconds(links)
        print(f"   ({len(links):,} links, {shape}: {ours:.2f} s, CPU {cpu:.2f} s)", flush=True)
        yield Result(
            name=f"links file of {len(links):,} links (the limit), {shape}",
            ours_s=ours,
            note=f"CPU {cpu:.1f} s; one transaction: the SQLite write lock is held this long; aim: a few seconds",
        )


def page(client: Client, url: str, **headers: str) -> tuple[float, int, int]:
    """Median time of the GET, its queries and its size in bytes."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    statements = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        client.get(url, headers=headers)
    return seconds(lambda: client.get(url, headers=headers), repeat=5), len(statements), len(response.content)


def group_page_benchmarks() -> Iterator[Result]:
    big = chain_group(new_items(BIG_GROUP, "BG"))
    small = chain_group(new_items(2, "BS"))
    client = Client()
    user = bench_user()
    client.force_login(user)
    for label, suffix, headers in (
        ("page", "", {}),
        ("members table, page 2 (htmx)", "/members?page=2", {}),
        ("JSON, page 1", "", {"Accept": "application/json"}),
    ):
        ours, count, size = page(client, f"/groups/{big}{suffix}", **headers)
        base, _, base_size = page(client, f"/groups/{small}{suffix}", **headers)
        yield Result(
            name=f"group of {BIG_GROUP:,} members: {label}",
            ours_s=ours,
            baseline_s=base,
            baseline="the same for a group of 2",
            queries=count,
            note=f"aim: under 1 s; {size / 1024:,.0f} KB (2 members: {base_size / 1024:,.0f} KB)",
        )


def benchmarks(ctx: Context) -> Iterator[Result]:
    # Pages name static files; the bench has not run collectstatic, so they are looked up in place.
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    results: list[Result] = []
    with transaction.atomic(), override_settings(STORAGES=plain_static):
        results.extend(links_file_benchmarks())
        results.extend(group_page_benchmarks())
        transaction.set_rollback(True)
    yield from results

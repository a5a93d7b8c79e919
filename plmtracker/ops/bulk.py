"""Bulk database work: fast row inserts for seeds and feeds (COPY on PostgreSQL, executemany
elsewhere), and ids in chunks for IN lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from django.db import connection

BATCH_SIZE = 5000
# The most ids one IN (...) list carries. A batch of links can name tens of
# thousands of items; lists of this size stay within every backend's limit on
# parameters (SQL Server's is 2,100), in ascending order so locks are still
# taken in id order.
IN_CHUNK = 1000


def batched(rows: Iterable, size: int) -> Iterator[list]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """The distinct ids in ascending order, IN_CHUNK at a time: one IN list per query, locks taken in id order."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), IN_CHUNK):
        yield ordered[start : start + IN_CHUNK]


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert `rows` (tuples in `columns` order) into `table`; return how many.

    Rows are streamed in batches, so memory stays flat however many there are.
    Columns left out take their database defaults (created_at and the like).
    """
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    total = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for batch in batched(rows, batch_size):
                    for row in batch:
                        copy.write_row(row)
                    total += len(batch)
                    if progress:
                        progress(len(batch))
            return total
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({placeholders})"
        # SQL Server limits a statement to 2,100 parameters; executemany sends
        # one row per call there anyway.
        for batch in batched(rows, batch_size):
            cursor.executemany(sql, batch)
            total += len(batch)
            if progress:
                progress(len(batch))
    return total

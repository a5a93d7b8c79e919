"""New rows of one import, written so the database works while Python reads the next batch.

On PostgreSQL each batch goes in through a COPY that is left open: the server
inserts the rows (keys, indexes, checks) while the import parses and checks the
next batch, which needs no database. The next statement on the connection, of
any kind, first ends the COPY (a query wrapper sees to it). Elsewhere rows go in
through `plmtracker.ops.bulk.insert_rows` at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from plmtracker.ops.bulk import insert_rows


class Inserts:
    def __init__(self) -> None:
        self._open: tuple[Any, Any] | None = None  # (the COPY's context manager, its cursor)

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        if connection.vendor != "postgresql":
            insert_rows(table, columns, rows)
            return
        self.finish()
        qn = connection.ops.quote_name
        cursor = connection.cursor()
        manager = cursor.cursor.copy(f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN")
        copy = manager.__enter__()
        self._open = (manager, cursor)
        for row in rows:
            copy.write_row(row)

    def finish(self, failure: BaseException | None = None) -> None:
        """End the open COPY: wait for the server, or abort it when the import failed."""
        if self._open is None:
            return
        manager, cursor = self._open
        self._open = None
        try:
            if failure is None:
                manager.__exit__(None, None, None)
            else:
                manager.__exit__(type(failure), failure, failure.__traceback__)
        finally:
            cursor.close()

    @contextmanager
    def session(self) -> Iterator[Inserts]:
        """Every statement run in the block ends the open COPY first; a failure aborts it."""

        def end_copy_first(execute, sql, params, many, context):
            self.finish()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(end_copy_first):
                yield self
        except BaseException as exc:
            self.finish(exc)
            raise
        self.finish()

"""Keep the daily figures fresh: refresh a set of groups, or every group due, for a day.

Freshness (docs/DESIGN.md, "Daily figures"): a write announces what it changed through
`plmtracker.changes`; the listeners here mark today's rows of those groups due, in the writer's
own transaction (one UPDATE: the write stays cheap, and a row can never be computed from a state
the transaction goes on to change, as when a write announces first and adds stock after). Before
any read of the rows, `ensure_fresh` refreshes every group due: marked, its `updated_at` moved
since its row was computed, or no row for the day (the first read of a new day refreshes them
all). So a read never sees a row older than the last committed write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connections, router, transaction
from django.utils import timezone

from collector.models import ItemGroup, ItemGroupMember
from dashboard.figures.compute import COLUMNS, group_figures
from dashboard.models import STAMP_INDEX, DailyFigures
from dashboard.queries import onhand
from plmtracker.ops.bulk import id_chunks

# Above this share of every group, a refresh computes every group in one pass instead of in chunks.
ALL_AT_ONCE = 0.5
UPDATED = ("group_updated_at", "computed_at", *COLUMNS)


@dataclass(frozen=True)
class Refreshed:
    day: date
    groups: int  # rows written
    removed: int  # rows of groups that no longer exist


def _text_stamp(stamp: datetime | None) -> datetime | None:
    """The group's stamp as SQLite must keep it to compare as text (`due_groups`).

    Django writes a whole second without its fraction ("05:26:16"), which sorts before the database's own
    "05:26:16.000": such a group would be due again at every read. One microsecond more sorts after it, and
    a later change (a millisecond on at least, as the database writes it) still sorts after that.
    """
    if stamp is None or stamp.microsecond:
        return stamp
    return stamp + timedelta(microseconds=1)


def _write(day: date, figures: dict[int, dict]) -> None:
    """Upsert the rows in group order (two concurrent refreshes lock rows in the same order)."""
    now = timezone.now()
    rows = [DailyFigures(group_id=key, day=day, computed_at=now, **figures[key]) for key in sorted(figures)]
    if not rows:
        return
    connection = connections[router.db_for_write(DailyFigures)]
    if connection.vendor == "sqlite":
        for row in rows:
            row.group_updated_at = _text_stamp(row.group_updated_at)
    if connection.features.supports_update_conflicts_with_target:
        DailyFigures.objects.bulk_create(
            rows, batch_size=500, update_conflicts=True, unique_fields=["group_id", "day"], update_fields=UPDATED
        )
        return
    # No upsert (SQL Server): the rows are replaced; the unique key makes a concurrent twin fail and retry.
    DailyFigures.objects.filter(day=day, group_id__in=[row.group_id for row in rows]).delete()
    DailyFigures.objects.bulk_create(rows, batch_size=500)


@transaction.atomic
def refresh_figures(*, day: date | None = None, group_ids: Iterable[int] | None = None) -> Refreshed:
    """Compute and keep the rows of these groups (None: every group) for `day` (default today).

    Rows of groups that no longer exist (merged away, deleted) are removed for that day; earlier
    days' rows stay as the history of what was known then.
    """
    day = day or onhand.site_today()
    if group_ids is not None:
        ids = sorted(set(group_ids))
        if len(ids) > ALL_AT_ONCE * max(ItemGroup.objects.count(), 1):
            group_ids = None
    written = removed = 0
    if group_ids is None:
        figures = group_figures(day, None)
        _write(day, figures)
        written = len(figures)
        gone = DailyFigures.objects.filter(day=day).exclude(group_id__in=ItemGroup.objects.values("group_id"))
        removed = gone.delete()[0]
        return Refreshed(day, written, removed)
    for chunk in id_chunks(ids):
        figures = group_figures(day, chunk)
        _write(day, figures)
        written += len(figures)
        missing = [group_id for group_id in chunk if group_id not in figures]
        if missing:
            existing = ItemGroup.objects.filter(group_id__in=missing).values("group_id")
            gone = DailyFigures.objects.filter(day=day, group_id__in=missing).exclude(group_id__in=existing)
            removed += gone.delete()[0]
    return Refreshed(day, written, removed)


def due_sql(connection) -> str:
    """`due_groups`' statement for this connection, with the day as its one parameter.

    Every group LEFT JOINed to its row for the day: due when the row is missing, marked (stamp NULL) or
    stamped before the group's `updated_at`. A join rather than `NOT EXISTS`: SQLite answers the join from
    the index (day, group_id, group_updated_at) alone, and keeps probing the unique key's row for the
    correlated subquery (2.7 ms against 0.6 ms for 3,000 groups); PostgreSQL hashes an index-only scan.
    """
    q = connection.ops.quote_name
    group, row = q(ItemGroup._meta.db_table), f"{q(DailyFigures._meta.db_table)} f"
    if connection.vendor == "sqlite":  # its planner prefers the unique key (one row) unless ANALYZE ran since 0005
        row += f" INDEXED BY {q(STAMP_INDEX)}"
    stamp = f"f.{q('group_updated_at')}"
    return (
        f"SELECT g.{q('group_id')} FROM {group} g LEFT JOIN {row}"
        f" ON f.{q('day')} = %s AND f.{q('group_id')} = g.{q('group_id')}"
        f" WHERE {stamp} IS NULL OR {stamp} < g.{q('updated_at')}"
    )


def due_groups(day: date) -> list[int]:
    """Groups whose row for `day` is missing, marked due or older than the group's last change (one statement).

    On SQLite the stamps are text, written by the database (updated_at) with milliseconds and by
    Django (the row's copy) with microseconds; "12.345000" >= "12.345" still holds as text, and a
    later change ("12.346") still sorts after, so the comparison stays in SQL everywhere.
    """
    connection = connections[router.db_for_read(DailyFigures)]
    with connection.cursor() as cursor:
        cursor.execute(due_sql(connection), [connection.ops.adapt_datefield_value(day)])
        return [group_id for (group_id,) in cursor.fetchall()]


def ensure_fresh(day: date) -> Refreshed | None:
    """Refresh the rows due for `day` before they are read; every group when the day has no rows yet."""
    due = due_groups(day)
    if not due:
        return None
    if not DailyFigures.objects.filter(day=day).exists():
        return refresh_figures(day=day)
    return refresh_figures(day=day, group_ids=due)


def mark_due(group_ids: Iterable[int], day: date | None = None) -> int:
    """Make these groups' rows for `day` (default today) due: the next read refreshes them first."""
    day = day or onhand.site_today()
    marked = 0
    for chunk in id_chunks(sorted(set(group_ids))):
        marked += DailyFigures.objects.filter(day=day, group_id__in=chunk).update(group_updated_at=None)
    return marked


def groups_changed(group_ids: frozenset[int]) -> None:
    """Listener: a write changed these groups; their rows for today are due (in the write's transaction)."""
    mark_due(group_ids)


def items_changed(item_ids: frozenset[int]) -> None:
    """Listener: a write changed these items' stock, burn or orders; their groups' rows are due."""
    for chunk in id_chunks(item_ids):
        members = ItemGroupMember.objects.filter(item_id__in=chunk).order_by()
        mark_due(members.values_list("group_id", flat=True).distinct())

"""Writes of the attention memory: record a day's firing keys, act on items, carry memory through a merge."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections, router, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from accounts.permissions import is_steward
from attention.memory import day_state, grouped_folds, last_change_id, listed_runs, runs_on, state_on
from attention.models import REASONS, AttentionChange, AttentionDay, AttentionFold, AttentionRun
from attention.queries import attention_items
from attention.rules import Item
from collector.models import RelationAudit
from plmtracker.ops.bulk import id_chunks
from plmtracker.web import dates

ACTIONS = ("acknowledge", "snooze", "dismiss", "reopen")
TARGET = {"acknowledge": "acknowledged", "snooze": "snoozed", "dismiss": "dismissed", "reopen": "open"}
NOTE_LENGTH = 500


class AttentionActionError(ValueError):
    """An action that cannot be done as asked; the message says why, for a 400."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Refreshed:
    day: date
    firing: int
    began: int
    continued: int
    ended: int


@transaction.atomic
def attention_refresh(*, as_of: date, items: Iterable[Item] | None = None) -> Refreshed:
    """Record which keys fire on `as_of` (their items, else computed): runs continue, begin or end.

    A key that fired on the previous recorded day continues its run; any other begins a new
    one; a run that included `as_of` and whose key no longer fires ends the day before (or is
    removed when it began on `as_of`). Refreshing a day again gives the same result.
    """
    seen = last_change_id()  # read first: a change announced while computing leaves the day stale
    firing = {item.key: item for item in (attention_items(as_of) if items is None else items)}
    previous = AttentionDay.objects.filter(day__lt=as_of).aggregate(day=Max("day"))["day"]
    fields = ("run_id", "key", "first_seen", "last_seen", "item")
    covering = {run.key: run for run in runs_on(as_of).only(*fields)}
    gone = [run for key, run in covering.items() if key not in firing and run.last_seen == as_of]
    removed = [run.run_id for run in gone if run.first_seen == as_of or previous is None]
    shortened = [run.run_id for run in gone if run.run_id not in removed]
    for ids in id_chunks(removed):
        AttentionRun.objects.filter(run_id__in=ids).delete()
    for ids in id_chunks(shortened):
        AttentionRun.objects.filter(run_id__in=ids).update(last_seen=previous)
    wanted = [key for key in firing if key not in covering]
    continuing: list[AttentionRun] = []
    if previous is not None:
        for keys in id_chunks(wanted):
            continuing += AttentionRun.objects.filter(key__in=keys, last_seen=previous).only(*fields)
        for ids in id_chunks([run.run_id for run in continuing]):
            AttentionRun.objects.filter(run_id__in=ids).update(last_seen=as_of)
    # Every firing run keeps the item as computed now (today's list reads it); only changed ones are written.
    # (A run that goes on past as_of, when an earlier day is refreshed, keeps its later item.)
    kept = [run for key, run in covering.items() if key in firing and run.last_seen == as_of]
    changed = []
    for run in kept + continuing:
        item = firing[run.key].stored()
        if run.item != item:
            run.item = item
            run.severity, run.dollars, run.item_date = _order(firing[run.key])
            changed.append(run)
    AttentionRun.objects.bulk_update(changed, ["item", "severity", "dollars", "item_date"], batch_size=200)
    extended = {run.key for run in continuing}
    wanted = [key for key in wanted if key not in extended]
    AttentionRun.objects.bulk_create(
        [
            AttentionRun(
                key=key,
                kind=firing[key].kind,
                group_id=firing[key].group_id,
                location_id=firing[key].location_id,
                item=firing[key].stored(),
                severity=firing[key].severity,
                dollars=firing[key].dollars,
                item_date=firing[key].date,
                first_seen=as_of,
                last_seen=as_of,
            )
            for key in wanted
        ],
        ignore_conflicts=True,  # a refresh of the same day at the same moment made it
        batch_size=500,
    )
    # The day's row is written (and so locked) before its folds: a concurrent action or merge waits for it.
    AttentionDay.objects.update_or_create(
        day=as_of, defaults={"change_id": seen, "firing": len(firing), "refreshed_at": timezone.now(), "folded": True}
    )
    refold(as_of)
    if as_of == timezone.localdate():  # only today's folds are read: the earlier days' go
        AttentionFold.objects.filter(day__lt=as_of).delete()
        AttentionDay.objects.filter(day__lt=as_of, folded=True).update(folded=False)
    AttentionChange.objects.filter(change_id__lt=seen).delete()  # only the latest is ever compared
    return Refreshed(as_of, len(firing), len(wanted), len(continuing), len(gone))


FOLD_COLUMNS = ("group_id", "kind", "severity", "dollars", "oldest", "first_location", "items")


def refold(day: date, group_ids: Iterable[int] | None = None) -> int:
    """Rewrite `day`'s kept folds (of these groups, else every group) from its runs: a DELETE, then one
    INSERT ... SELECT of `memory.grouped_folds` per chunk of groups. Returns the rows written.

    The caller holds the day's row (`lock_day`, or a refresh's write of it), so no other transaction
    writes the day's folds in between, and these statements see every fold write committed before.
    """
    connection = connections[router.db_for_write(AttentionFold)]
    chunks = [None] if group_ids is None else id_chunks(sorted(set(group_ids)))
    written = 0
    for chunk in chunks:
        kept, runs = AttentionFold.objects.filter(day=day), listed_runs(day)
        if chunk is not None:
            kept, runs = kept.filter(group_id__in=chunk), runs.filter(group_id__in=chunk)
        kept.delete()
        with connection.cursor() as cursor:
            cursor.execute(*fold_insert(connection, day, runs))
            written += max(cursor.rowcount, 0)
    return written


def fold_insert(connection, day: date, runs: QuerySet[AttentionRun]) -> tuple[str, list]:
    """The INSERT ... SELECT that keeps the folds of `runs` for `day`, in `connection`'s dialect."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("day", *FOLD_COLUMNS))
    sql, params = grouped_folds(runs).query.get_compiler(connection=connection).as_sql()
    insert = f"INSERT INTO {quote(AttentionFold._meta.db_table)} ({columns}) SELECT %s, folded.* FROM ({sql}) folded"
    return insert, [connection.ops.adapt_datefield_value(day), *params]


def lock_day(day: date) -> bool:
    """Lock `day`'s recorded row until the transaction ends; whether its folds are kept (False: not recorded)."""
    return bool(AttentionDay.objects.select_for_update().filter(day=day).values_list("folded", flat=True).first())


def _order(item: Item) -> tuple[int, float | None, date | None]:
    return item.severity, item.dollars, item.date


def record_today() -> date:
    """Today, after recording its memory if no refresh has seen the last announced change (else no write)."""
    return record_today_folded()[0]


def record_today_folded() -> tuple[date, bool]:
    """`record_today`, and whether today's folds are kept (a day recorded before the fold table has none)."""
    today = timezone.localdate()
    fresh, folded = day_state(today)
    if not fresh:
        attention_refresh(as_of=today)
        folded = True
    return today, folded


def changed(_ids: Iterable[int] = ()) -> None:
    """A write changed figures (plmtracker/changes.py): the recorded days are stale until refreshed."""
    AttentionChange.objects.create()


@transaction.atomic
def carry_memory(loser: int, winner: int) -> None:
    """Move a merged-away group's runs to the winner; on a clash of keys the later first_seen wins.

    Today's folds of both groups are written again (the loser's go, the winner's take its runs).
    """
    moving = list(AttentionRun.objects.filter(group_id=loser))
    if not moving:
        return
    rekeyed = {run.run_id: f"{run.kind}:{winner}:{run.location_id or ''}" for run in moving}
    staying = {}
    for run in AttentionRun.objects.filter(group_id=winner, key__in=set(rekeyed.values())):
        staying.setdefault(run.key, []).append(run)
    drop: list[int] = []
    for run in moving:
        key = rekeyed[run.run_id]
        for other in staying.get(key, []):
            if other.run_id in drop or other.last_seen < run.first_seen or run.last_seen < other.first_seen:
                continue  # runs of different days do not clash
            older = run if run.first_seen < other.first_seen else other
            drop.append(older.run_id)
    AttentionRun.objects.filter(run_id__in=drop).delete()
    for run in moving:
        if run.run_id not in drop:
            AttentionRun.objects.filter(run_id=run.run_id).update(group_id=winner, key=rekeyed[run.run_id])
    today = timezone.localdate()
    if lock_day(today):
        refold(today, [loser, winner])


def _check(action: str, until: date | None, reason: str, note: str, as_of: date) -> None:
    if action not in ACTIONS:
        raise AttentionActionError(f"The action must be one of {', '.join(ACTIONS)}.")
    if "\x00" in note or "\x00" in reason:
        raise AttentionActionError("A note or reason may not hold a NUL character.")
    if len(note) > NOTE_LENGTH:
        raise AttentionActionError(f"A note holds at most {NOTE_LENGTH} characters.")
    if action == "snooze" and (until is None or until <= as_of):
        raise AttentionActionError(f"Snooze until a day after today ({as_of.isoformat()}).")
    if action == "snooze" and dates.out_of_range(until):
        raise AttentionActionError(f"Snooze until: {dates.out_of_range(until)}.")
    if action == "dismiss" and reason not in REASONS:
        raise AttentionActionError(f"Dismiss needs a reason: {', '.join(REASONS)}.")


@transaction.atomic
def attention_act(
    *,
    user,
    keys: Iterable[str],
    action: str,
    as_of: date,
    until: date | None = None,
    reason: str = "",
    note: str = "",
) -> list[AttentionRun]:
    """Acknowledge, snooze, dismiss or reopen today's runs of `keys`; one audit row per run, in the group's history.

    Owners of the group and stewards may act; anyone else gets PermissionDenied and nothing is written.
    """
    _check(action, until, reason, note, as_of)
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise AttentionActionError("Choose at least one item.")
    runs: list[AttentionRun] = []
    for chunk in id_chunks(wanted):
        runs += runs_on(as_of).filter(key__in=chunk).select_related("group").select_for_update(of=("self",))
    found = {run.key for run in runs}
    missing = [key for key in wanted if key not in found]
    if missing:
        raise AttentionActionError(f"No item today has the key {missing[0]}.")
    if not is_steward(user) and any(run.group.owner_id != user.pk for run in runs):
        raise PermissionDenied("Only the group's owner or a data steward may act on its items.")
    now = timezone.now()
    audits = []
    for run in runs:
        before = state_on(run, as_of)
        run.state = TARGET[action]
        run.snooze_until = until if action == "snooze" else None
        run.reason = reason if action == "dismiss" else ""
        run.note = note
        run.changed_by = user
        run.changed_at = now
        details = {"key": run.key, "kind": run.kind, "location_id": run.location_id, "from": before}
        details |= {"to": run.state, "until": until.isoformat() if run.snooze_until else None}
        details |= {"reason": run.reason or None, "note": note or None}
        audits.append(RelationAudit(action="attention_state", user=user, group_id=run.group_id, details=details))
    fields = ["state", "snooze_until", "reason", "note", "changed_by", "changed_at"]
    AttentionRun.objects.bulk_update(runs, fields, batch_size=500)
    RelationAudit.objects.bulk_create(audits, batch_size=500)
    if lock_day(as_of):  # after the runs, in the order a refresh takes them: no deadlock between the two
        refold(as_of, {run.group_id for run in runs})
    return runs


def attention_act_today(*, user, keys: Iterable[str], asked: Mapping[str, Any]) -> list[AttentionRun]:
    """`attention_act` on today's items with the cleaned `action`, `until`, `reason`, `note` of a form or body."""
    return attention_act(
        user=user,
        keys=keys,
        action=asked["action"],
        as_of=record_today(),
        until=asked.get("until"),
        reason=asked.get("reason") or "",
        note=asked.get("note") or "",
    )

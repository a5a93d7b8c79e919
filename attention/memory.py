"""What the attention memory says (docs/DESIGN.md, "Attention memory"): runs, states, freshness. Reads only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from attention.models import REASONS, AttentionChange, AttentionDay, AttentionFold, AttentionRun
from attention.rules import Item, sort_key

LISTED = ("open", "acknowledged")  # what the list shows unless asked for more


@dataclass(frozen=True)
class Memory:
    """What the memory holds for one key on one day."""

    first_seen: date | None
    state: str
    snooze_until: date | None
    reason: str
    note: str

    def as_dict(self, as_of: date) -> dict:
        return {
            "first_seen": self.first_seen,
            "new": self.first_seen == as_of,
            "open_days": (as_of - self.first_seen).days + 1 if self.first_seen else None,
            "state": self.state,
            "snooze_until": self.snooze_until,
            "reason": self.reason or None,
            "reason_label": REASONS.get(self.reason),
            "note": self.note or None,
        }


UNRECORDED = Memory(first_seen=None, state="open", snooze_until=None, reason="", note="")


def state_on(run: AttentionRun, as_of: date) -> str:
    """The run's state on `as_of`: a snooze that has run out is open again."""
    return _state(run.state, run.snooze_until, as_of)


def _state(state: str, until: date | None, as_of: date) -> str:
    return "open" if state == "snoozed" and until is not None and until < as_of else state


def last_change_id() -> int:
    return AttentionChange.objects.aggregate(last=Max("change_id"))["last"] or 0


def day_state(day: date) -> tuple[bool, bool]:
    """Whether `day` was recorded after the last announced change, and whether its folds are kept (two short reads)."""
    recorded = AttentionDay.objects.filter(day=day).values_list("change_id", "folded").first()
    if recorded is None:
        return False, False
    return recorded[0] >= last_change_id(), recorded[1]


def runs_on(day: date) -> QuerySet[AttentionRun]:
    """The runs that include `day`."""
    return AttentionRun.objects.filter(first_seen__lte=day, last_seen__gte=day)


def memories(day: date) -> dict[str, Memory]:
    """Key -> what the memory holds on `day` (one statement)."""
    rows = runs_on(day).values_list("key", "first_seen", "state", "snooze_until", "reason", "note")
    return {
        key: Memory(first, _state(state, until, day), until, reason, note)
        for key, first, state, until, reason, note in rows
    }


def visible(day: date, states: Iterable[str] = LISTED) -> Q:
    """Runs whose state on `day` is one of `states` (an expired snooze counts as open)."""
    chosen = set(states)
    wanted = Q(state__in=chosen - {"open", "snoozed"})
    if "open" in chosen:
        wanted |= Q(state="open") | Q(state="snoozed", snooze_until__lt=day)
    if "snoozed" in chosen:
        wanted |= Q(state="snoozed", snooze_until__gte=day)
    return wanted


def listed_count(day: date, owner_id: int | None = None, kept: bool = False) -> int:
    """How many items the default list shows on `day` (open and acknowledged), of one owner's groups or all.

    `kept`: the day's folds are kept (a recorded day): their items are summed, half the rows of its runs.
    """
    if kept:
        return fold_totals(kept_folds(day, owner_id=owner_id, statuses=("draft", "active")))[1]
    runs = runs_on(day).filter(visible(day), group__status__in=("draft", "active"))
    if owner_id is not None:
        runs = runs.filter(group__owner_id=owner_id)
    return runs.count()


def recorded(
    day: date,
    *,
    kinds: Iterable[str] | None = None,
    owner_id: int | None = None,
    statuses: Iterable[str] | None = None,
    group_id: int | None = None,
) -> QuerySet[AttentionRun]:
    """The runs the last refresh of `day` found firing, of these kinds, owner, group statuses and group."""
    runs = AttentionRun.objects.filter(last_seen=day, first_seen__lte=day)
    return narrowed(runs, kinds=kinds, owner_id=owner_id, statuses=statuses, group_id=group_id)


def narrowed(
    rows: QuerySet,
    *,
    kinds: Iterable[str] | None = None,
    owner_id: int | None = None,
    statuses: Iterable[str] | None = None,
    group_id: int | None = None,
) -> QuerySet:
    """Runs or kept folds of these kinds, group, group owner and group statuses (None: any)."""
    if kinds:
        rows = rows.filter(kind__in=list(kinds))
    if group_id is not None:
        rows = rows.filter(group_id=group_id)
    if owner_id is not None:
        rows = rows.filter(group__owner_id=owner_id)
    if statuses:
        rows = rows.filter(group__status__in=list(statuses))
    return rows


def stored_items(
    day: date,
    *,
    kinds: Iterable[str] | None = None,
    owner_id: int | None = None,
    statuses: Iterable[str] | None = None,
    group_id: int | None = None,
) -> list[Item]:
    """The items recorded for `day` (the last refresh of it), in the rules' order; the filters narrow in SQL."""
    runs = recorded(day, kinds=kinds, owner_id=owner_id, statuses=statuses, group_id=group_id)
    items = [Item.from_stored(fields) for fields in runs.values_list("item", flat=True)]
    return sorted(items, key=sort_key)


def listed_runs(
    day: date,
    *,
    states: Iterable[str] = LISTED,
    new_only: bool = False,
    severity: int | None = None,
    location_id: int | None = None,
    kinds: Iterable[str] | None = None,
    owner_id: int | None = None,
    statuses: Iterable[str] | None = None,
    group_id: int | None = None,
) -> QuerySet[AttentionRun]:
    """The runs recorded for `day` that the filters keep, in the rules' order (rules.sort_key), for paging in SQL."""
    runs = recorded(day, kinds=kinds, owner_id=owner_id, statuses=statuses, group_id=group_id)
    runs = runs.filter(visible(day, states))
    if new_only:
        runs = runs.filter(first_seen=day)
    if severity is not None:
        runs = runs.filter(severity=severity)
    if location_id is not None:
        runs = runs.filter(location_id=location_id)
    return runs.order_by(
        "severity",
        F("dollars").desc(nulls_last=True),
        F("item_date").asc(nulls_last=True),
        "group_id",
        F("location_id").asc(nulls_first=True),
    )


FOLD_ORDER = (
    "class_",
    F("money").desc(nulls_last=True),
    F("oldest").asc(nulls_last=True),
    "group_id",
    F("first_location").asc(nulls_first=True),
    "kind",
)


def grouped_folds(runs: QuerySet[AttentionRun]) -> QuerySet:
    """One unordered row per (group, kind) of `runs`: its class, dollars, oldest date, first location, items.

    The columns in the order of attention_fold's (after group_id and kind): what a refresh keeps.
    """
    grouped = runs.order_by().values("group_id", "kind")
    return grouped.annotate(
        class_=Min("severity"),
        money=Sum("dollars"),
        oldest=Min("item_date"),
        first_location=Min("location_id"),
        count=Count("pk"),
    )


def folds(runs: QuerySet[AttentionRun]) -> QuerySet:
    """One row per (group, kind) of `runs`, in the order of each fold's most urgent run (attention.folding)."""
    return grouped_folds(runs).order_by(*FOLD_ORDER)


def kept_folds(
    day: date,
    *,
    kinds: Iterable[str] | None = None,
    owner_id: int | None = None,
    statuses: Iterable[str] | None = None,
    group_id: int | None = None,
    severity: int | None = None,
) -> QuerySet[AttentionFold]:
    """The kept folds of `day`'s default list (open and acknowledged) that these filters keep.

    In `fold_order` they are the rows of `folds(listed_runs(day, ...))` with the same filters, in the
    same order; `fold_totals` counts them. Only for the filters a fold answers as a whole.
    """
    kept = AttentionFold.objects.filter(day=day)
    if severity is not None:
        kept = kept.filter(severity=severity)
    return narrowed(kept, kinds=kinds, owner_id=owner_id, statuses=statuses, group_id=group_id)


def fold_order(kept: QuerySet[AttentionFold]) -> QuerySet:
    """Kept folds in the list's order, named as `folds` names its columns: a slice reads only its rows."""
    return kept.values("group_id", "kind").annotate(class_=F("severity"), money=F("dollars")).order_by(*FOLD_ORDER)


def fold_totals(kept: QuerySet[AttentionFold]) -> tuple[int, int]:
    """How many rows and items the kept folds make (one aggregate: cheaper apart than a window over the slice)."""
    totals = kept.aggregate(rows=Count("pk"), items=Sum("items"))
    return totals["rows"], totals["items"] or 0


class _OverAll(RawSQL):
    """An aggregate over every grouped row (`... OVER ()`), read on each row beside them: not grouped by."""

    contains_aggregate = True
    contains_over_clause = True

    def get_group_by_cols(self):
        return []


def with_totals(folded: QuerySet) -> QuerySet:
    """`folds(...)` with, on every row, how many rows (`all_rows`) and items (`all_items`) they make in all.

    A slice of it is counted and fetched in one statement (one pass over today's runs).
    """
    return folded.annotate(all_rows=_OverAll("COUNT(*) OVER ()", []), all_items=_OverAll("SUM(COUNT(*)) OVER ()", []))


def memory_of(run: AttentionRun, day: date) -> Memory:
    return Memory(run.first_seen, _state(run.state, run.snooze_until, day), run.snooze_until, run.reason, run.note)

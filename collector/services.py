"""Every write to the relation graph.

Each public function is one transaction that writes one audit row per change.
Concurrency: an action locks the items it links (in id order), then the
groups those items are in (in id order), and re-reads the memberships until
they are stable, so two users acting on overlapping groups queue instead of
interleaving. On PostgreSQL and SQL Server these are row locks; on SQLite the
IMMEDIATE transactions (see plmtracker.ops.db) let one writer in at a time. A
deadlock the database breaks is retried.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Now

from collector import graph
from collector.models import (
    GROUP_STATUSES,
    MEMBER_ROLES,
    USE_UP_POLICIES,
    GroupAlert,
    GroupLocationPlan,
    ItemGroup,
    ItemGroupMember,
    ItemLink,
    RelationAudit,
)
from plmtracker.inventory.models import Item
from plmtracker.ops.bulk import id_chunks


class GraphError(Exception):
    """A change the graph refuses; `status_code` is the HTTP answer for it."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SelfLinkError(GraphError):
    pass


class ReverseLinkError(GraphError):
    status_code = 409


class NotFoundError(GraphError):
    status_code = 404


class MergeNotConfirmedError(GraphError):
    """The link would merge two groups and the person did not confirm it (pages ask; programs need not)."""

    status_code = 409


# Deadlock and serialization failure: the database rolled the transaction
# back and it is safe to run it again.
RETRY_SQLSTATES = {"40P01", "40001"}
RETRY_ATTEMPTS = 5


def _retryable(exc: OperationalError) -> bool:
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state in RETRY_SQLSTATES


def graph_write(fn):
    """Run `fn` in one transaction; run it again when the database broke a deadlock."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            # Part of a larger transaction: its owner decides about retries.
            with transaction.atomic():
                return fn(*args, **kwargs)
        for attempt in range(RETRY_ATTEMPTS):
            try:
                with transaction.atomic():
                    return fn(*args, **kwargs)
            except OperationalError as exc:
                if attempt == RETRY_ATTEMPTS - 1 or not _retryable(exc):
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    return wrapper


# --------------------------------------------------------------------------
# Locking and loading


def _lock_items(item_ids: Iterable[int]) -> set[int]:
    """Lock the items' rows in id order; return the ids that exist."""
    found: set[int] = set()
    for ids in id_chunks(item_ids):
        found.update(Item.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    return found


def _memberships(item_ids: Iterable[int]) -> dict[int, graph.Member]:
    members: dict[int, graph.Member] = {}
    for ids in id_chunks(item_ids):
        rows = ItemGroupMember.objects.filter(item_id__in=ids).values_list("item_id", "group_id", "role", "sequence")
        members.update((item_id, graph.Member(group_id, role, seq)) for item_id, group_id, role, seq in rows)
    return members


def _lock_groups(group_ids: Iterable[int]) -> set[int]:
    locked: set[int] = set()
    for ids in id_chunks(group_ids):
        locked.update(
            ItemGroup.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        )
    return locked


def _lock_memberships(item_ids: Iterable[int]) -> dict[int, graph.Member]:
    """Lock the groups the items are in and return their memberships, stable under the lock."""
    item_ids = list(item_ids)
    members = _memberships(item_ids)
    while True:
        group_ids = {m.group_id for m in members.values()}
        locked = _lock_groups(group_ids)
        if not connection.features.has_select_for_update:
            return members
        again = _memberships(item_ids)
        if again == members and locked == group_ids:
            return members
        # A merge moved an item while we waited for its old group: lock anew.
        members = again


def lock_group(group_id: int) -> ItemGroup:
    try:
        return ItemGroup.objects.select_for_update().get(pk=group_id)
    except ItemGroup.DoesNotExist:
        raise NotFoundError(f"Group {group_id} does not exist (it may have been merged into another group).") from None


def touch_groups(group_ids: Iterable[int]) -> None:
    for ids in id_chunks(group_ids):
        ItemGroup.objects.filter(pk__in=ids).update(updated_at=Now())


def audit(action: str, *, user, group_id: int | None, details: dict[str, Any], reason: str | None = None) -> None:
    RelationAudit.objects.create(
        action=action, user=user_or_none(user), group_id=group_id, details=details, reason=reason or None
    )


def user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _codes(item_ids: Iterable[int]) -> dict[int, str]:
    codes: dict[int, str] = {}
    for ids in id_chunks(item_ids):
        codes.update(Item.objects.filter(pk__in=ids).values_list("pk", "erp_item_code"))
    return codes


def _link_details(item_id: int, replace_item_id: int, codes: dict[int, str], **extra: Any) -> dict[str, Any]:
    """What an audit row says about a link: both ends by id and by ERP code."""
    return {
        "item_id": item_id,
        "replace_item_id": replace_item_id,
        "item": codes[item_id],
        "replace": codes[replace_item_id],
        **extra,
    }


# --------------------------------------------------------------------------
# Alerts


def _degrees(item_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    out: dict[int, int] = {}
    in_: dict[int, int] = {}
    for ids in id_chunks(item_ids):
        out.update(
            ItemLink.objects.filter(item_id__in=ids)
            .values("item_id")
            .annotate(n=Count("*"))
            .values_list("item_id", "n")
        )
        in_.update(
            ItemLink.objects.filter(replace_item_id__in=ids)
            .values("replace_item_id")
            .annotate(n=Count("*"))
            .values_list("replace_item_id", "n")
        )
    return {i: (out.get(i, 0), in_.get(i, 0)) for i in item_ids}


def alert_states(item_ids: Sequence[int]) -> tuple[dict[int, graph.AlertState], dict[int, graph.AlertState]]:
    """The items' open alerts, and the last alert each had kept as M:N, by item id."""
    open_alerts: dict[int, graph.AlertState] = {}
    kept: dict[int, graph.AlertState] = {}
    for ids in id_chunks(item_ids):
        rows = (
            GroupAlert.objects.filter(item_id__in=ids)
            .filter(Q(resolved_at__isnull=True) | Q(resolution="kept"))
            .order_by("item_id", "resolved_at", "alert_id")
            .values_list("item_id", "alert_type", "degree_out", "degree_in", "resolved_at", "alert_id")
        )
        for item_id, alert_type, out, in_, resolved_at, alert_id in rows:
            state = graph.AlertState(alert_type, out or 0, in_ or 0, alert_id)
            if resolved_at is None:
                open_alerts[item_id] = state
            else:
                kept[item_id] = state  # ordered by resolved_at: the last one stays
    return open_alerts, kept


def _alert_details(out: int, in_: int) -> str:
    return f"Replaced by {out} item{'s' * (out != 1)}; replaces {in_} item{'s' * (in_ != 1)}."


def recompute_alerts(item_ids: Iterable[int]) -> graph.AlertChanges:
    """Bring the items' alerts in line with their degrees (raise, update, close)."""
    ids = sorted(set(item_ids))
    if not ids:
        return graph.AlertChanges()
    open_alerts, kept = alert_states(ids)
    changes = graph.reconcile_alerts(_degrees(ids), open_alerts, kept)
    for closing in id_chunks(changes.close):
        GroupAlert.objects.filter(item_id__in=closing, resolved_at__isnull=True).update(
            resolved_at=Now(), resolution="cleared"
        )
    if changes.update:
        GroupAlert.objects.bulk_update(
            [
                GroupAlert(
                    alert_id=open_alerts[item_id].alert_id,
                    alert_type=alert_type,
                    degree_out=out,
                    degree_in=in_,
                    details=_alert_details(out, in_),
                )
                for item_id, (alert_type, out, in_) in changes.update.items()
            ],
            ["alert_type", "degree_out", "degree_in", "details"],
            batch_size=500,
        )
    if changes.raise_:
        GroupAlert.objects.bulk_create(
            GroupAlert(
                item_id=item_id,
                alert_type=alert_type,
                degree_out=out,
                degree_in=in_,
                details=_alert_details(out, in_),
            )
            for item_id, (alert_type, out, in_) in changes.raise_.items()
        )
    return changes


def open_alerts_for(item_ids: Iterable[int]) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = []
    for ids in id_chunks(item_ids):
        alerts.extend(
            GroupAlert.objects.filter(item_id__in=ids, resolved_at__isnull=True)
            .order_by("item_id")
            .values("alert_id", "item_id", "alert_type", "degree_out", "degree_in")
        )
    return alerts


# --------------------------------------------------------------------------
# Links


@dataclass
class LinkResult:
    created: bool
    group_id: int
    action: str  # create, attach, merge, within or existing
    merged_group_ids: list[int] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    ratio: Decimal = Decimal(1)
    ratio_updated: bool = False


# 15 significant digits, not the column's 18: SQLite keeps the ratio as a double, exact to 15 only.
RATIO_DIGITS, RATIO_PLACES = 15, 6
MAX_RATIO = Decimal(10) ** (RATIO_DIGITS - RATIO_PLACES) - Decimal(1).scaleb(-RATIO_PLACES)


def check_ratio(value: Any) -> Decimal:
    """A link's ratio as a Decimal: more than 0, at most 9 digits before the point and 6 after."""
    if value is None or value == "":
        return Decimal(1)
    if isinstance(value, bool):
        raise GraphError(f"The ratio must be a number more than 0, not {value!r}.")
    try:
        ratio = Decimal(str(value).strip())
    except InvalidOperation:
        raise GraphError(f"The ratio must be a number more than 0 (e.g. 0.5 or 2), not {str(value)[:40]!r}.") from None
    if not ratio.is_finite() or ratio <= 0:
        raise GraphError(f"The ratio must be more than 0, not {str(value)[:40]}.")
    if ratio > MAX_RATIO:
        raise GraphError(f"The ratio {str(value)[:40]} is too large (at most {RATIO_DIGITS - RATIO_PLACES} digits).")
    if ratio != ratio.quantize(Decimal(1).scaleb(-RATIO_PLACES), rounding="ROUND_DOWN"):
        raise GraphError(f"The ratio {str(value)[:40]} has more than {RATIO_PLACES} decimal places.")
    return ratio.normalize() if ratio == ratio.to_integral() else ratio


def reverse_link_message(item_code: str, replace_code: str) -> str:
    """Why `item -> replace` is refused when `replace -> item` exists (the preview says the same)."""
    return (
        f"{replace_code} is already recorded as replaced by {item_code}; "
        "a link in the opposite direction would make each item replace the other."
    )


def _check_link_ends(item_id: int, replace_id: int) -> None:
    if item_id == replace_id:
        raise SelfLinkError("An item cannot replace itself: choose two different items.")


def _append_members(group_id: int, new_members: Sequence[tuple[int, str]]) -> None:
    high = ItemGroupMember.objects.filter(group_id=group_id).aggregate(m=Max("sequence"))["m"] or 0
    ItemGroupMember.objects.bulk_create(
        ItemGroupMember(item_id=item_id, group_id=group_id, role=role, sequence=high + n)
        for n, (item_id, role) in enumerate(new_members, start=1)
    )


def _merge_into(loser: int, winner: int) -> int:
    """Move every member of `loser` to `winner` in one UPDATE and delete `loser`."""
    # The two ends come from the (group, sequence) index, one entry each, however large the groups.
    sequences = ItemGroupMember.objects.filter(sequence__isnull=False).values("sequence")
    bounds = (
        ItemGroup.objects.filter(pk=winner)
        .annotate(
            winner_max=Subquery(sequences.filter(group_id=winner).order_by("-sequence")[:1]),
            loser_min=Subquery(sequences.filter(group_id=loser).order_by("sequence")[:1]),
        )
        .values("winner_max", "loser_min")
        .get()
    )
    offset = graph.merge_offset(bounds["winner_max"], bounds["loser_min"])
    moved = ItemGroupMember.objects.filter(group_id=loser).update(group_id=winner, sequence=F("sequence") + offset)
    carry_location_plans(loser, winner)
    ItemGroup.objects.filter(pk=loser).delete()
    return moved


def copy_location_plans(source: int, target: int) -> int:
    """Give a group made by a split the location plans of the group it came from."""
    plans = GroupLocationPlan.objects.filter(group_id=source).values_list("location_id", "go_live_date", "note")
    made = GroupLocationPlan.objects.bulk_create(
        GroupLocationPlan(group_id=target, location_id=loc, go_live_date=day, note=note) for loc, day, note in plans
    )
    return len(made)


def carry_location_plans(loser: int, winner: int) -> int:
    """Give the winner the loser's location plans: the winner's date wins where both have one.

    Two statements whatever the number of locations: the loser's dates fill the
    winner's empty ones, then the loser's rows for locations the winner has no
    row for move over. What is left of the loser's rows goes with the loser.
    """
    return sum(rows.update(**values) for rows, values in carry_updates(loser, winner))


def carry_updates(loser: int, winner: int) -> list[tuple[Any, dict[str, Any]]]:
    """The two UPDATEs of `carry_location_plans`, as (rows, new values), in order."""
    losers = GroupLocationPlan.objects.filter(group_id=loser, location_id=OuterRef("location_id"))
    dated = losers.filter(go_live_date__isnull=False)
    winners = GroupLocationPlan.objects.filter(group_id=winner, location_id=OuterRef("location_id"))
    return [
        (
            GroupLocationPlan.objects.filter(group_id=winner, go_live_date__isnull=True).filter(Exists(dated)),
            {
                "go_live_date": Subquery(dated.values("go_live_date")[:1]),
                "note": Coalesce(F("note"), Subquery(dated.values("note")[:1])),
                "updated_at": Now(),
            },
        ),
        (GroupLocationPlan.objects.filter(group_id=loser).exclude(Exists(winners)), {"group_id": winner}),
    ]


@graph_write
def link_add(
    *,
    item_id: int,
    replace_item_id: int,
    user=None,
    reason: str | None = None,
    ratio: Any = None,
    merge_confirmed: bool = True,
) -> LinkResult:
    """Record that `item_id` is replaced by `replace_item_id`; group, merge and flag as needed.

    `ratio` (replacement eaches per original each, default 1): recording an
    existing link with another ratio changes its ratio, audited.
    With `merge_confirmed=False` a link that would merge two groups is refused
    (nothing written): the pages pass it unless the person ticked the merge.
    """
    _check_link_ends(item_id, replace_item_id)
    ratio = check_ratio(ratio)
    found = _lock_items((item_id, replace_item_id))
    missing = {item_id, replace_item_id} - found
    if missing:
        raise NotFoundError(f"Item {min(missing)} does not exist.")
    members = _lock_memberships((item_id, replace_item_id))
    # Keyed by the link's first end: item_id is this link, replace_item_id its reverse.
    existing = dict(
        ItemLink.objects.filter(
            Q(item_id=item_id, replace_item_id=replace_item_id) | Q(item_id=replace_item_id, replace_item_id=item_id)
        ).values_list("item_id", "ratio")
    )
    if item_id in existing:
        group_id = members[item_id].group_id
        updated = existing[item_id] != ratio
        if updated:
            _set_link_ratio(item_id, replace_item_id, existing[item_id], ratio, group_id, user=user, reason=reason)
        return LinkResult(
            created=False,
            group_id=group_id,
            action="existing",
            alerts=open_alerts_for((item_id, replace_item_id)),
            ratio=ratio if updated else existing[item_id],
            ratio_updated=updated,
        )
    if replace_item_id in existing:
        codes = _codes((item_id, replace_item_id))
        raise ReverseLinkError(reverse_link_message(codes[item_id], codes[replace_item_id]))

    item_member, replace_member = members.get(item_id), members.get(replace_item_id)
    plan = graph.plan_link(
        item_id,
        replace_item_id,
        item_member.group_id if item_member else None,
        replace_member.group_id if replace_member else None,
    )
    group_id = plan.group_id
    if plan.action == graph.MERGE and not merge_confirmed:
        raise MergeNotConfirmedError(
            f"This link would merge group {plan.loser_group_id} into group {group_id}; nothing was recorded. "
            "Tick “Yes, merge these groups” to record it."
        )
    if plan.action == graph.CREATE:
        group_id = ItemGroup.objects.create().pk
        audit("group_create", user=user, group_id=group_id, details={"via": "link"}, reason=reason)
    merged: list[int] = []
    if plan.action == graph.MERGE:
        moved = _merge_into(plan.loser_group_id, group_id)
        merged = [plan.loser_group_id]
        audit(
            "group_merge",
            user=user,
            group_id=group_id,
            details={"loser_group_id": plan.loser_group_id, "members_moved": moved, "via": "link"},
            reason=reason,
        )
    if plan.new_members:
        _append_members(group_id, plan.new_members)
    ItemLink.objects.create(
        item_id=item_id,
        replace_item_id=replace_item_id,
        ratio=ratio,
        reason=reason or None,
        created_by=user_or_none(user),
    )
    if plan.action != graph.CREATE:
        touch_groups([group_id])
    recompute_alerts((item_id, replace_item_id))
    codes = _codes((item_id, replace_item_id))
    audit(
        "link_add",
        user=user,
        group_id=group_id,
        details=_link_details(item_id, replace_item_id, codes, grouping=plan.action, **_ratio_detail(ratio)),
        reason=reason,
    )
    return LinkResult(
        created=True,
        group_id=group_id,
        action=plan.action,
        merged_group_ids=merged,
        alerts=open_alerts_for((item_id, replace_item_id)),
        ratio=ratio,
    )


def _ratio_detail(ratio: Decimal) -> dict[str, str]:
    """The ratio for an audit row, only when it is not the default 1."""
    return {} if ratio == 1 else {"ratio": format_ratio(ratio)}


def format_ratio(ratio: Decimal | None) -> str:
    """A ratio as people write it: 0.5, 2, 1.25 (no trailing zeros)."""
    if ratio is None:
        return "1"
    text = format(Decimal(ratio), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _set_link_ratio(item_id, replace_item_id, old: Decimal, new: Decimal, group_id, *, user, reason) -> None:
    ItemLink.objects.filter(item_id=item_id, replace_item_id=replace_item_id).update(ratio=new)
    touch_groups([group_id])
    codes = _codes((item_id, replace_item_id))
    details = _link_details(item_id, replace_item_id, codes, **{"from": format_ratio(old), "to": format_ratio(new)})
    audit("link_ratio", user=user, group_id=group_id, details=details, reason=reason)


@dataclass
class LinkRemoval:
    group_id: int | None
    components: int  # how many connected pieces the group's links now make


@graph_write
def link_remove(*, item_id: int, replace_item_id: int, user=None, reason: str | None = None) -> LinkRemoval:
    """Delete a link and bring the alerts up to date; the group is not split silently."""
    _lock_items((item_id, replace_item_id))
    members = _lock_memberships((item_id, replace_item_id))
    deleted, _ = ItemLink.objects.filter(item_id=item_id, replace_item_id=replace_item_id).delete()
    if not deleted:
        raise NotFoundError(f"There is no link from item {item_id} to item {replace_item_id}.")
    recompute_alerts((item_id, replace_item_id))
    group_id = members[item_id].group_id if item_id in members else None
    pieces = 0
    if group_id is not None:
        touch_groups([group_id])
        pieces = len(group_components(group_id))
        codes = _codes((item_id, replace_item_id))
        audit(
            "link_remove",
            user=user,
            group_id=group_id,
            details=_link_details(item_id, replace_item_id, codes, components_after=pieces),
            reason=reason,
        )
    return LinkRemoval(group_id=group_id, components=pieces)


def group_components(group_id: int) -> list[set[int]]:
    """The connected pieces of a group's links, members without links counted alone."""
    item_ids = list(ItemGroupMember.objects.filter(group_id=group_id).values_list("item_id", flat=True))
    edges = ItemLink.objects.filter(item__membership__group_id=group_id).values_list("item_id", "replace_item_id")
    return graph.components(item_ids, edges)


# --------------------------------------------------------------------------
# Bulk links


@dataclass
class BulkLinkResult:
    outcomes: list[graph.LinkOutcome]
    created_groups: list[dict[str, Any]]  # {"group_id", "item_ids"} of each group the batch makes
    merges: list[dict[str, int]]  # {"loser_group_id", "winner_group_id"} between groups that existed
    alerts_raised: dict[int, tuple[str, int, int]]
    dry_run: bool
    # Every member of every group the batch touched, where it ends (group, role, sequence).
    members: dict[int, graph.Member] = field(default_factory=dict)
    # Links already recorded whose ratio the batch changes: (item_id, replace_item_id, from, to).
    ratio_updates: list[tuple[int, int, Decimal, Decimal]] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(o.status == "new" for o in self.outcomes)

    @property
    def existing_count(self) -> int:
        return sum(o.status == "existing" for o in self.outcomes)

    @property
    def reverse_count(self) -> int:
        return sum(o.status == "reverse" for o in self.outcomes)


def _load_state(item_ids: set[int], lock: bool) -> graph.GraphState:
    if lock:
        _lock_items(item_ids)
        members = _lock_memberships(item_ids)
    else:
        members = _memberships(item_ids)
    all_members: dict[int, graph.Member] = {}
    for group_ids in id_chunks(m.group_id for m in members.values()):
        rows = ItemGroupMember.objects.filter(group_id__in=group_ids).values_list(
            "item_id", "group_id", "role", "sequence"
        )
        all_members.update((i, graph.Member(g, r, s)) for i, g, r, s in rows)
    links: set[tuple[int, int]] = set()
    for ids in id_chunks(item_ids):
        links.update(
            ItemLink.objects.filter(Q(item_id__in=ids) | Q(replace_item_id__in=ids)).values_list(
                "item_id", "replace_item_id"
            )
        )
    max_group_id = ItemGroup.objects.aggregate(m=Max("pk"))["m"] or 0
    return graph.GraphState(all_members, links, max_group_id)


def links_add_bulk(
    *,
    pairs: Sequence[tuple[int, int, str | None]],
    user=None,
    dry_run: bool = False,
    source: str = "bulk",
    ratios: dict[tuple[int, int], Decimal] | None = None,
) -> BulkLinkResult:
    """Add many links as if entered one by one, in order, with set-based writes.

    `pairs` are (item_id, replace_item_id, reason) with known, distinct items;
    `ratios` the ratio of each pair that has one (new links without one get 1;
    an existing link given another ratio gets it, audited). A pair whose reverse is already a
    link (or comes earlier in the batch) is reported with status "reverse" and
    not written. With `dry_run` nothing is written and no lock is taken; the
    result says what would happen.
    """
    ratios = {pair: check_ratio(r) for pair, r in (ratios or {}).items()}
    if dry_run:
        # Reads only, outside a transaction: on SQLite every transaction begins
        # IMMEDIATE and would queue a preview behind any writer.
        return _links_add_bulk(pairs=pairs, user=user, dry_run=True, source=source, ratios=ratios)
    return _links_add_bulk_written(pairs=pairs, user=user, dry_run=False, source=source, ratios=ratios)


def _ratio_changes(
    outcomes: Sequence[graph.LinkOutcome], ratios: dict[tuple[int, int], Decimal]
) -> list[tuple[int, int, Decimal, Decimal]]:
    """The existing links of a batch whose ratio the batch changes (pairs without a ratio keep theirs)."""
    existing = [
        (o.item_id, o.replace_id) for o in outcomes if o.status == "existing" and (o.item_id, o.replace_id) in ratios
    ]
    current: dict[tuple[int, int], Decimal] = {}
    for ids in id_chunks(a for a, _ in existing):
        wanted = {pair for pair in existing if pair[0] in set(ids)}
        for a, b, ratio in ItemLink.objects.filter(item_id__in=ids).values_list("item_id", "replace_item_id", "ratio"):
            if (a, b) in wanted:
                current[(a, b)] = ratio
    changes = []
    for pair in dict.fromkeys(existing):
        if pair in current and current[pair] != ratios[pair]:
            changes.append((*pair, current[pair], ratios[pair]))
    return changes


def _links_add_bulk(
    *,
    pairs: Sequence[tuple[int, int, str | None]],
    user,
    dry_run: bool,
    source: str,
    ratios: dict[tuple[int, int], Decimal],
) -> BulkLinkResult:
    for item_id, replace_id, _ in pairs:
        _check_link_ends(item_id, replace_id)
    item_ids = {i for a, b, _ in pairs for i in (a, b)}
    state = _load_state(item_ids, lock=not dry_run)
    before = {i: (m.group_id, m.sequence) for i, m in state.members.items()}
    existing_groups = set(state.group_items)
    outcomes = [state.add_link(a, b) for a, b, _ in pairs]
    reasons = {(a, b): reason for a, b, reason in pairs}

    created = [g for g in state.created_groups if g not in state.deleted_groups]
    final_group = {}  # every group id of the batch -> where its members ended
    for g in list(existing_groups) + state.created_groups:
        final_group[g] = g
    for loser, winner in state.merges:
        for g, target in final_group.items():
            if target == loser:
                final_group[g] = winner

    endpoints = {i for link in state.new_links for i in link}
    open_alerts, kept = alert_states(sorted(endpoints))
    alerts = graph.reconcile_alerts(state.degrees(endpoints), open_alerts, kept)
    merges = [
        {"loser_group_id": loser, "winner_group_id": final_group[winner]}
        for loser, winner in state.merges
        if loser in existing_groups
    ]

    created_groups = [{"group_id": g, "item_ids": sorted(state.group_items.get(g, ()))} for g in created]
    ratio_updates = _ratio_changes(outcomes, ratios)
    if dry_run or not state.new_links:
        for o in outcomes:
            if o.group_id is not None:
                o.group_id = final_group[o.group_id]
        if not dry_run:
            _write_ratio_updates(ratio_updates, outcomes, user=user, source=source)
        return BulkLinkResult(outcomes, created_groups, merges, alerts.raise_, dry_run, state.members, ratio_updates)

    real_id = dict(zip(created, _create_groups(len(created)), strict=True))
    _persist_state(state, before, real_id, existing_groups)
    for entry in created_groups:
        entry["group_id"] = real_id[entry["group_id"]]
    for o in outcomes:
        if o.group_id is not None:
            target = final_group[o.group_id]
            o.group_id = real_id.get(target, target)
    ItemLink.objects.bulk_create(
        (
            ItemLink(
                item_id=a,
                replace_item_id=b,
                ratio=ratios.get((a, b), Decimal(1)),
                reason=reasons[(a, b)] or None,
                created_by=user_or_none(user),
            )
            for a, b in state.new_links
        ),
        batch_size=1000,
    )
    touch_groups(o.group_id for o in outcomes if o.status == "new" and o.group_id in existing_groups)
    recompute_alerts(endpoints)
    _audit_bulk(outcomes, created_groups, merges, reasons, ratios, user=user, source=source)
    _write_ratio_updates(ratio_updates, outcomes, user=user, source=source)
    members = {
        item_id: graph.Member(real_id.get(m.group_id, m.group_id), m.role, m.sequence)
        for item_id, m in state.members.items()
    }
    return BulkLinkResult(outcomes, created_groups, merges, alerts.raise_, dry_run, members, ratio_updates)


def _write_ratio_updates(updates, outcomes, *, user, source: str) -> None:
    """Change the ratio of links a batch recorded again with another one; one audit row each."""
    if not updates:
        return
    group_of = {(o.item_id, o.replace_id): o.group_id for o in outcomes}
    ids = {pk: (a, b) for pk, a, b in _link_ids([(a, b) for a, b, *_ in updates])}
    new = {(a, b): to for a, b, _, to in updates}
    ItemLink.objects.bulk_update(
        [ItemLink(pk=pk, ratio=new[pair]) for pk, pair in ids.items()], ["ratio"], batch_size=500
    )
    touch_groups({group_of[(a, b)] for a, b, *_ in updates})
    codes = _codes({i for a, b, *_ in updates for i in (a, b)})
    who = user_or_none(user)
    RelationAudit.objects.bulk_create(
        RelationAudit(
            action="link_ratio",
            user=who,
            group_id=group_of[(a, b)],
            details=_link_details(a, b, codes, **{"from": format_ratio(old), "to": format_ratio(to), "via": source}),
        )
        for a, b, old, to in updates
    )


def _link_ids(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(link id, item_id, replace_item_id) of the given links."""
    wanted = set(pairs)
    found = []
    for ids in id_chunks(a for a, _ in pairs):
        rows = ItemLink.objects.filter(item_id__in=ids).values_list("pk", "item_id", "replace_item_id")
        found.extend(r for r in rows if (r[1], r[2]) in wanted)
    return found


_links_add_bulk_written = graph_write(_links_add_bulk)


def _persist_state(
    state: graph.GraphState,
    before: dict[int, tuple[int, int | None]],
    real_id: dict[int, int],
    existing_groups: set[int],
) -> None:
    """Write the members a replayed batch added or moved, and drop the groups it merged away."""
    new_members, moved = [], []
    for item_id, m in state.members.items():
        row = ItemGroupMember(
            item_id=item_id, group_id=real_id.get(m.group_id, m.group_id), role=m.role, sequence=m.sequence
        )
        old = before.get(item_id)
        if old is None:
            new_members.append(row)
        elif old != (m.group_id, m.sequence):
            moved.append(row)
    ItemGroupMember.objects.bulk_update(moved, ["group", "sequence"], batch_size=500)
    ItemGroupMember.objects.bulk_create(new_members, batch_size=1000)
    # A group that existed loses only to a smaller id, one that existed too: both still have their rows here.
    for loser, winner in state.merges:
        if loser in existing_groups:
            carry_location_plans(loser, winner)
    for ids in id_chunks(g for g in state.deleted_groups if g in existing_groups):
        ItemGroup.objects.filter(pk__in=ids).delete()


def _audit_bulk(outcomes, created_groups, merges, reasons, ratios, *, user, source: str) -> None:
    who = user_or_none(user)
    new = [o for o in outcomes if o.status == "new"]
    codes = _codes({i for o in new for i in (o.item_id, o.replace_id)})
    rows = [
        RelationAudit(action="group_create", user=who, group_id=g["group_id"], details={"via": source})
        for g in created_groups
    ]
    rows += [
        RelationAudit(
            action="group_merge",
            user=who,
            group_id=m["winner_group_id"],
            details={"loser_group_id": m["loser_group_id"], "via": source},
        )
        for m in merges
    ]
    rows += [
        RelationAudit(
            action="link_add",
            user=who,
            group_id=o.group_id,
            details=_link_details(
                o.item_id,
                o.replace_id,
                codes,
                grouping=o.action,
                via=source,
                **_ratio_detail(ratios.get((o.item_id, o.replace_id), Decimal(1))),
            ),
            reason=reasons[(o.item_id, o.replace_id)] or None,
        )
        for o in new
    ]
    RelationAudit.objects.bulk_create(rows, batch_size=1000)


def _create_groups(count: int) -> list[int]:
    if not count:
        return []
    groups = ItemGroup.objects.bulk_create([ItemGroup() for _ in range(count)])
    if all(g.pk is not None for g in groups):
        return [g.pk for g in groups]
    # Backends that cannot return ids from a bulk insert: create one by one.
    return [ItemGroup.objects.create().pk for _ in range(count)]


# --------------------------------------------------------------------------
# Groups


@graph_write
def group_create(
    *,
    user=None,
    status: str = "draft",
    reason: str | None = None,
    owner=None,
    start_date: date | None = None,
    end_date: date | None = None,
    name: str | None = None,
    use_up_policy: str | None = "use_up",
    last_order_date: date | None = None,
) -> ItemGroup:
    """Create an empty group (groups are normally made by their first link), with its plan fields if given."""
    fields = _clean_name(
        {
            "status": status,
            "reason": reason or None,
            "owner": owner,
            "start_date": start_date,
            "end_date": end_date,
            "name": name,
            "use_up_policy": use_up_policy,
            "last_order_date": last_order_date,
        }
    )
    check_group_fields(**fields)
    group = ItemGroup.objects.create(**fields)
    audit("group_create", user=user, group_id=group.pk, details={"via": "manual"}, reason=reason)
    return group


# How far before the start date the last order of the originals may be (a cut-off a year
# ahead of the conversion is a typo, not a plan).
LAST_ORDER_LEAD = timedelta(days=365)


def check_group_fields(**fields: Any) -> None:
    status = fields.get("status")
    if status is not None and status not in dict(GROUP_STATUSES):
        raise GraphError(f"Status must be one of {', '.join(dict(GROUP_STATUSES))}, not {status!r}.")
    policy = fields.get("use_up_policy")
    if "use_up_policy" in fields and policy not in dict(USE_UP_POLICIES):
        raise GraphError(f"The use-up policy must be one of {', '.join(dict(USE_UP_POLICIES))}, not {policy!r}.")
    name = fields.get("name")
    if name is not None and len(name) > ItemGroup._meta.get_field("name").max_length:
        raise GraphError(f"A group name has at most {ItemGroup._meta.get_field('name').max_length} characters.")
    start, end, last_order = fields.get("start_date"), fields.get("end_date"), fields.get("last_order_date")
    if start and end and end < start:
        raise GraphError("The end date must be on or after the start date.")
    if last_order and end and last_order > end:
        raise GraphError(f"The last order date ({last_order}) must be on or before the end date ({end}).")
    if last_order and start and last_order < start - LAST_ORDER_LEAD:
        raise GraphError(
            f"The last order date ({last_order}) is more than a year before the start date ({start}); check the year."
        )


GROUP_FIELDS = ("status", "reason", "owner", "start_date", "end_date", "name", "use_up_policy", "last_order_date")


def _clean_name(changes: dict[str, Any]) -> dict[str, Any]:
    """A name is stripped; a blank one means none (the derived title shows)."""
    if "name" in changes:
        changes = {**changes, "name": (changes["name"] or "").strip() or None}
    if changes.get("use_up_policy", "") is None:
        changes = {**changes, "use_up_policy": "use_up"}
    return changes


@graph_write
def group_update(*, group_id: int, user=None, change_reason: str | None = None, **changes: Any) -> ItemGroup:
    """Change a group's status, owner, reason, dates, name or plan; the audit row keeps before and after."""
    return update_group_fields(group_id, changes, GROUP_FIELDS, "group_update", user=user, reason=change_reason)


def update_group_fields(
    group_id: int, changes: dict[str, Any], allowed: Sequence[str], action: str, *, user, reason: str | None
) -> ItemGroup:
    """Lock the group, check the fields together, save what differs and audit it as `action`."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise GraphError(f"Unknown group field(s): {', '.join(sorted(unknown))}.")
    changes = _clean_name(changes)
    group = lock_group(group_id)
    merged = {f: getattr(group, f) for f in GROUP_FIELDS} | changes
    check_group_fields(**merged)
    diff = {}
    for name, value in changes.items():
        old = getattr(group, name)
        if old != value:
            diff[name] = {"from": _plain(old), "to": _plain(value)}
            setattr(group, name, value)
    if diff:
        group.updated_at = Now()
        group.save(update_fields=[*diff, "updated_at"])
        group.refresh_from_db(fields=["updated_at"])
        audit(action, user=user, group_id=group_id, details={"changes": diff}, reason=reason)
    return group


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


@graph_write
def group_merge(*, group_id: int, target_group_id: int, user=None, reason: str | None = None) -> int:
    """Move every member of `group_id` into `target_group_id` and delete `group_id`."""
    if group_id == target_group_id:
        raise GraphError("A group cannot be merged into itself: choose another group.")
    locked = _lock_groups((group_id, target_group_id))
    for g in (group_id, target_group_id):
        if g not in locked:
            raise NotFoundError(f"Group {g} does not exist (it may have been merged into another group).")
    moved = _merge_into(group_id, target_group_id)
    touch_groups([target_group_id])
    audit(
        "group_merge",
        user=user,
        group_id=target_group_id,
        details={"loser_group_id": group_id, "members_moved": moved, "via": "manual"},
        reason=reason,
    )
    return moved


@dataclass
class SplitResult:
    """What a split does (dry run) or did: who moves, who stays, which links go."""

    group_id: int
    new_group_id: int | None  # None in a dry run
    moved_item_ids: list[int]
    cut_links: list[tuple[int, int]]
    staying_item_ids: list[int] = field(default_factory=list)
    alone_item_ids: list[int] = field(default_factory=list)  # left in a group of one, with no link
    dry_run: bool = False


def split_preview(*, group_id: int, item_ids: Iterable[int]) -> list[tuple[int, int]]:
    """The links a split of `item_ids` out of the group would cut."""
    moving = set(item_ids)
    links = ItemLink.objects.filter(item__membership__group_id=group_id).values_list("item_id", "replace_item_id")
    return graph.cut_links(links, moving)


def _renumber(group_id: int) -> None:
    """Sequences 1..n in the group's current order (gaps closed, unnumbered members last)."""
    rows = ItemGroupMember.objects.filter(group_id=group_id).order_by(F("sequence").asc(nulls_last=True), "item_id")
    changed = [
        ItemGroupMember(item_id=item_id, sequence=n)
        for n, (item_id, sequence) in enumerate(rows.values_list("item_id", "sequence"), start=1)
        if sequence != n
    ]
    ItemGroupMember.objects.bulk_update(changed, ["sequence"], batch_size=500)


def alone_message(codes: Sequence[str]) -> str:
    return (
        f"{', '.join(codes)} would be left alone in a group of one, with no link. "
        "Tick “Leave it alone in a group of one” if that is what you want, or choose other members."
    )


def group_split(
    *,
    group_id: int,
    item_ids: Iterable[int],
    user=None,
    reason: str | None = None,
    allow_alone: bool = False,
    dry_run: bool = False,
) -> SplitResult:
    """Move the chosen members into a new group and cut the links that would cross it.

    A dry run checks the same rules and answers what would change, writing
    nothing (the confirmation shows it). A split that would leave a member
    alone in a group of one is refused unless `allow_alone`; both groups'
    sequences are renumbered 1..n.
    """
    if dry_run:
        return _group_split(group_id, set(item_ids), user, reason, allow_alone, dry_run=True)
    return _group_split_written(group_id, set(item_ids), user, reason, allow_alone, dry_run=False)


def _group_split(
    group_id: int, moving: set[int], user, reason: str | None, allow_alone: bool, *, dry_run: bool
) -> SplitResult:
    group = ItemGroup.objects.filter(pk=group_id).first() if dry_run else lock_group(group_id)
    if group is None:
        raise NotFoundError(f"Group {group_id} does not exist (it may have been merged into another group).")
    if not moving:
        raise GraphError("Choose at least one member to split off.")
    members = set(ItemGroupMember.objects.filter(group_id=group_id).values_list("item_id", flat=True))
    strangers = moving - members
    if strangers:
        raise GraphError(f"Item(s) {', '.join(map(str, sorted(strangers)))} are not members of group {group_id}.")
    if moving == members:
        raise GraphError("A split must leave at least one member behind; choose fewer members.")
    staying = members - moving
    cut = split_preview(group_id=group_id, item_ids=moving)
    alone = sorted(next(iter(side)) for side in (moving, staying) if len(side) == 1)
    result = SplitResult(group_id, None, sorted(moving), cut, sorted(staying), alone, dry_run)
    if alone and not allow_alone and not dry_run:
        raise GraphError(alone_message([_codes(alone)[i] for i in alone]))
    if dry_run:
        return result
    new_group = ItemGroup.objects.create(
        status=group.status,
        reason=group.reason,
        owner=group.owner,
        start_date=group.start_date,
        end_date=group.end_date,
        use_up_policy=group.use_up_policy,
        last_order_date=group.last_order_date,
    )
    for ids in id_chunks(moving):
        ItemGroupMember.objects.filter(item_id__in=ids).update(group_id=new_group.pk)
    copied = copy_location_plans(group_id, new_group.pk)
    if cut:
        # The links now crossing from one group to the other, in both directions.
        for this, other in ((group_id, new_group.pk), (new_group.pk, group_id)):
            ItemLink.objects.filter(item__membership__group_id=this, replace_item__membership__group_id=other).delete()
        recompute_alerts({i for link in cut for i in link})
    _renumber(group_id)
    _renumber(new_group.pk)
    touch_groups([group_id])
    details = {
        "new_group_id": new_group.pk,
        "moved_item_ids": sorted(moving),
        "cut_links": [list(link) for link in cut],
        "plans_copied": copied,
    }
    audit("group_split", user=user, group_id=group_id, details=details, reason=reason)
    audit(
        "group_create",
        user=user,
        group_id=new_group.pk,
        details={"via": "split", "from_group_id": group_id},
        reason=reason,
    )
    result.new_group_id = new_group.pk
    return result


_group_split_written = graph_write(_group_split)


# --------------------------------------------------------------------------
# Members


def _lock_member(item_id: int) -> ItemGroupMember:
    member = ItemGroupMember.objects.filter(item_id=item_id).first()
    if member is None:
        raise NotFoundError(f"Item {item_id} is not a member of any group.")
    lock_group(member.group_id)
    member = ItemGroupMember.objects.filter(item_id=item_id).first()
    if member is None:
        raise NotFoundError(f"Item {item_id} is not a member of any group.")
    return member


@graph_write
def member_set_role(*, item_id: int, role: str | None, user=None, reason: str | None = None) -> ItemGroupMember:
    """Make a member an original, a replacement, or neither (None)."""
    if role is not None and role not in dict(MEMBER_ROLES):
        raise GraphError(f"Role must be original, replacement or empty, not {role!r}.")
    member = _lock_member(item_id)
    if member.role != role:
        old = member.role
        member.role = role
        member.save(update_fields=["role"])
        touch_groups([member.group_id])
        audit(
            "member_role",
            user=user,
            group_id=member.group_id,
            details={"item_id": item_id, "from": old, "to": role},
            reason=reason,
        )
    return member


@graph_write
def member_move(*, item_id: int, direction: str, user=None) -> ItemGroupMember:
    """Promote (`up`) or demote (`down`) a member one place in its group's sequence."""
    if direction not in ("up", "down"):
        raise GraphError("Direction must be 'up' or 'down'.")
    member = _lock_member(item_id)
    order = list(
        ItemGroupMember.objects.filter(group_id=member.group_id)
        .order_by(F("sequence").asc(nulls_last=True), "item_id")
        .values_list("item_id", flat=True)
    )
    at = order.index(item_id)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(order):
        order[at], order[to] = order[to], order[at]
        # Renumber 1..n: sequences stay dense however they were edited before.
        current = dict(ItemGroupMember.objects.filter(group_id=member.group_id).values_list("item_id", "sequence"))
        changed = [ItemGroupMember(item_id=i, sequence=n) for n, i in enumerate(order, start=1) if current.get(i) != n]
        ItemGroupMember.objects.bulk_update(changed, ["sequence"])
        touch_groups([member.group_id])
        audit(
            "member_move",
            user=user,
            group_id=member.group_id,
            details={"item_id": item_id, "direction": direction, "position": to + 1},
        )
        member.refresh_from_db()
    return member


# --------------------------------------------------------------------------
# Conflicts


@graph_write
def alert_resolve(*, item_id: int, user=None, reason: str | None = None) -> GroupAlert:
    """Keep an item's conflict as many-to-many: close its open alert, noting who and when."""
    _lock_items([item_id])
    alert = GroupAlert.objects.filter(item_id=item_id, resolved_at__isnull=True).first()
    if alert is None:
        raise NotFoundError(f"Item {item_id} has no open conflict.")
    alert.resolved_at = Now()
    alert.resolved_by = user_or_none(user)
    alert.resolution = "kept"
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    alert.refresh_from_db(fields=["resolved_at"])
    group_id = ItemGroupMember.objects.filter(item_id=item_id).values_list("group_id", flat=True).first()
    audit(
        "alert_resolve",
        user=user,
        group_id=group_id,
        details={
            "item_id": item_id,
            "alert_type": alert.alert_type,
            "degree_out": alert.degree_out,
            "degree_in": alert.degree_in,
        },
        reason=reason,
    )
    return alert

"""Links added and removed, one at a time or in batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q

from collector import graph
from collector.models import (
    ItemGroup,
    ItemGroupMember,
    ItemLink,
    RelationAudit,
)
from collector.services.alerts import alert_states, open_alerts_for, recompute_alerts
from collector.services.errors import (
    MergeNotConfirmedError,
    NotFoundError,
    ReverseLinkError,
    SelfLinkError,
    graph_write,
)
from collector.services.locking import (
    audit,
    item_codes,
    link_details,
    lock_items,
    lock_memberships,
    memberships,
    touch_groups,
    user_or_none,
)
from collector.services.merge import append_members, create_groups, merge_into, persist_state
from collector.services.ratios import check_ratio, ratio_changes, ratio_detail, set_link_ratio, write_ratio_updates
from plmtracker.ops.bulk import id_chunks

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


def reverse_link_message(item_code: str, replace_code: str) -> str:
    """Why `item -> replace` is refused when `replace -> item` exists (the preview says the same)."""
    return (
        f"{replace_code} is already recorded as replaced by {item_code}; "
        "a link in the opposite direction would make each item replace the other."
    )


def check_link_ends(item_id: int, replace_id: int) -> None:
    if item_id == replace_id:
        raise SelfLinkError("An item cannot replace itself: choose two different items.")


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
    check_link_ends(item_id, replace_item_id)
    ratio = check_ratio(ratio)
    found = lock_items((item_id, replace_item_id))
    missing = {item_id, replace_item_id} - found
    if missing:
        raise NotFoundError(f"Item {min(missing)} does not exist.")
    members = lock_memberships((item_id, replace_item_id))
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
            set_link_ratio(item_id, replace_item_id, existing[item_id], ratio, group_id, user=user, reason=reason)
        return LinkResult(
            created=False,
            group_id=group_id,
            action="existing",
            alerts=open_alerts_for((item_id, replace_item_id)),
            ratio=ratio if updated else existing[item_id],
            ratio_updated=updated,
        )
    if replace_item_id in existing:
        codes = item_codes((item_id, replace_item_id))
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
        moved = merge_into(plan.loser_group_id, group_id)
        merged = [plan.loser_group_id]
        audit(
            "group_merge",
            user=user,
            group_id=group_id,
            details={"loser_group_id": plan.loser_group_id, "members_moved": moved, "via": "link"},
            reason=reason,
        )
    if plan.new_members:
        append_members(group_id, plan.new_members)
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
    codes = item_codes((item_id, replace_item_id))
    audit(
        "link_add",
        user=user,
        group_id=group_id,
        details=link_details(item_id, replace_item_id, codes, grouping=plan.action, **ratio_detail(ratio)),
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


@dataclass
class LinkRemoval:
    group_id: int | None
    components: int  # how many connected pieces the group's links now make


@graph_write
def link_remove(*, item_id: int, replace_item_id: int, user=None, reason: str | None = None) -> LinkRemoval:
    """Delete a link and bring the alerts up to date; the group is not split silently."""
    lock_items((item_id, replace_item_id))
    members = lock_memberships((item_id, replace_item_id))
    deleted, _ = ItemLink.objects.filter(item_id=item_id, replace_item_id=replace_item_id).delete()
    if not deleted:
        raise NotFoundError(f"There is no link from item {item_id} to item {replace_item_id}.")
    recompute_alerts((item_id, replace_item_id))
    group_id = members[item_id].group_id if item_id in members else None
    pieces = 0
    if group_id is not None:
        touch_groups([group_id])
        pieces = len(group_components(group_id))
        codes = item_codes((item_id, replace_item_id))
        audit(
            "link_remove",
            user=user,
            group_id=group_id,
            details=link_details(item_id, replace_item_id, codes, components_after=pieces),
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


def load_state(item_ids: set[int], lock: bool) -> graph.GraphState:
    if lock:
        lock_items(item_ids)
        members = lock_memberships(item_ids)
    else:
        members = memberships(item_ids)
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


def _links_add_bulk(
    *,
    pairs: Sequence[tuple[int, int, str | None]],
    user,
    dry_run: bool,
    source: str,
    ratios: dict[tuple[int, int], Decimal],
) -> BulkLinkResult:
    for item_id, replace_id, _ in pairs:
        check_link_ends(item_id, replace_id)
    item_ids = {i for a, b, _ in pairs for i in (a, b)}
    state = load_state(item_ids, lock=not dry_run)
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
    ratio_updates = ratio_changes(outcomes, ratios)
    if dry_run or not state.new_links:
        for o in outcomes:
            if o.group_id is not None:
                o.group_id = final_group[o.group_id]
        if not dry_run:
            write_ratio_updates(ratio_updates, outcomes, user=user, source=source)
        return BulkLinkResult(outcomes, created_groups, merges, alerts.raise_, dry_run, state.members, ratio_updates)

    real_id = dict(zip(created, create_groups(len(created)), strict=True))
    persist_state(state, before, real_id, existing_groups)
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
    audit_bulk(outcomes, created_groups, merges, reasons, ratios, user=user, source=source)
    write_ratio_updates(ratio_updates, outcomes, user=user, source=source)
    members = {
        item_id: graph.Member(real_id.get(m.group_id, m.group_id), m.role, m.sequence)
        for item_id, m in state.members.items()
    }
    return BulkLinkResult(outcomes, created_groups, merges, alerts.raise_, dry_run, members, ratio_updates)


_links_add_bulk_written = graph_write(_links_add_bulk)


def audit_bulk(outcomes, created_groups, merges, reasons, ratios, *, user, source: str) -> None:
    who = user_or_none(user)
    new = [o for o in outcomes if o.status == "new"]
    codes = item_codes({i for o in new for i in (o.item_id, o.replace_id)})
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
            details=link_details(
                o.item_id,
                o.replace_id,
                codes,
                grouping=o.action,
                via=source,
                **ratio_detail(ratios.get((o.item_id, o.replace_id), Decimal(1))),
            ),
            reason=reasons[(o.item_id, o.replace_id)] or None,
        )
        for o in new
    ]
    RelationAudit.objects.bulk_create(rows, batch_size=1000)

"""Links added and removed, one at a time or in batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q

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
from collector.services.merge import create_groups, persist_members
from collector.services.ratios import check_ratio, ratio_changes, ratio_detail, write_ratio_updates
from plmtracker.changes import groups_changed
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


# Links entered one at a time; a batch names its source ("bulk", "import", "seed_demo"), shown in the history.
LINK_SOURCE = "link"


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
    The same planner and writer as a batch of links (`links_add_bulk`), with one pair.
    """
    check_link_ends(item_id, replace_item_id)
    pair = (item_id, replace_item_id)
    ratio = check_ratio(ratio)
    batch = plan_links([(item_id, replace_item_id, reason)], {pair: ratio}, lock=True, whole_groups=False)
    outcome = batch.outcomes[0]
    if outcome.status == "reverse":
        codes = item_codes(pair)
        raise ReverseLinkError(reverse_link_message(codes[item_id], codes[replace_item_id]))
    if outcome.action == graph.MERGE and not merge_confirmed:
        raise MergeNotConfirmedError(
            f"This link would merge group {outcome.merged_group_id} into group {outcome.group_id}; "
            "nothing was recorded. Tick “Yes, merge these groups” to record it."
        )
    persist_links(batch, user=user, source=LINK_SOURCE)
    return LinkResult(
        created=outcome.status == "new",
        group_id=outcome.group_id,
        action=outcome.action or "existing",
        merged_group_ids=[outcome.merged_group_id] if outcome.action == graph.MERGE else [],
        alerts=open_alerts_for(pair),
        ratio=ratio,
        ratio_updated=bool(batch.ratio_updates),
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
        groups_changed([group_id])
    return LinkRemoval(group_id=group_id, components=pieces)


def group_components(group_id: int) -> list[set[int]]:
    """The connected pieces of a group's links, members without links counted alone."""
    item_ids = list(ItemGroupMember.objects.filter(group_id=group_id).values_list("item_id", flat=True))
    edges = ItemLink.objects.filter(item__membership__group_id=group_id).values_list("item_id", "replace_item_id")
    return graph.components(item_ids, edges)


# --------------------------------------------------------------------------
# The planner and the writer every link goes through, alone or in a batch


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


@dataclass
class LinkBatch:
    """A batch of links replayed in memory over the groups it touches: what writing it changes."""

    state: graph.GraphState
    before: dict[int, tuple[int, int | None]]  # item -> (group, sequence) before the batch
    existing_groups: set[int]
    outcomes: list[graph.LinkOutcome]  # group ids where each link's group ends (made-up ids for new groups)
    reasons: dict[tuple[int, int], str | None]
    ratios: dict[tuple[int, int], Decimal]
    created_groups: list[dict[str, Any]]
    merges: list[dict[str, int]]
    alerts_raised: dict[int, tuple[str, int, int]]
    ratio_updates: list[tuple[int, int, Decimal, Decimal]]
    causes: dict[int, str | None]  # created or merged-away group -> the reason of the link that made it so
    merge_sizes: dict[int, int]  # merged-away group -> members it brought

    def result(self, *, dry_run: bool) -> BulkLinkResult:
        return BulkLinkResult(
            self.outcomes,
            self.created_groups,
            self.merges,
            self.alerts_raised,
            dry_run,
            self.state.members,
            self.ratio_updates,
        )


def load_state(item_ids: set[int], lock: bool, whole_groups: bool = True) -> graph.GraphState:
    """The part of the graph the items touch: their groups (every member, or only the items and
    each group's sequence range and size), the links at the items, the highest group id."""
    if lock:
        missing = item_ids - lock_items(item_ids)
        if missing:
            raise NotFoundError(f"Item {min(missing)} does not exist.")
        members = lock_memberships(item_ids)
    else:
        members = memberships(item_ids)
    group_ids = {m.group_id for m in members.values()}
    sizes: dict[int, tuple[int | None, int | None, int]] = {}
    for ids in id_chunks(group_ids):
        rows = ItemGroupMember.objects.filter(group_id__in=ids)
        if whole_groups:
            found = rows.values_list("item_id", "group_id", "role", "sequence")
            members.update((i, graph.Member(g, r, s)) for i, g, r, s in found)
        else:
            ranges = rows.values("group_id").annotate(low=Min("sequence"), high=Max("sequence"), size=Count("*"))
            sizes.update((row["group_id"], (row["low"], row["high"], row["size"])) for row in ranges)
    links: set[tuple[int, int]] = set()
    for ids in id_chunks(item_ids):
        links.update(
            ItemLink.objects.filter(Q(item_id__in=ids) | Q(replace_item_id__in=ids)).values_list(
                "item_id", "replace_item_id"
            )
        )
    max_group_id = ItemGroup.objects.aggregate(m=Max("pk"))["m"] or 0
    return graph.GraphState(members, links, max_group_id, sizes)


def plan_links(
    pairs: Sequence[tuple[int, int, str | None]],
    ratios: dict[tuple[int, int], Decimal],
    *,
    lock: bool,
    whole_groups: bool = True,
) -> LinkBatch:
    """Replay `pairs` in order over the groups they touch; with `lock`, lock them first (in a transaction).

    `whole_groups` loads every member of those groups, so the result lists where each ends
    (the previews show it); without it only the pairs' items and each group's range are read.
    """
    item_ids = {i for a, b, _ in pairs for i in (a, b)}
    state = load_state(item_ids, lock=lock, whole_groups=whole_groups)
    before = {i: (m.group_id, m.sequence) for i, m in state.members.items()}
    existing_groups = set(state.group_items)
    outcomes = [state.add_link(a, b) for a, b, _ in pairs]
    reasons = {(a, b): reason for a, b, reason in pairs}
    causes: dict[int, str | None] = {}
    for o in outcomes:
        if o.action == graph.CREATE:
            causes[o.group_id] = reasons[(o.item_id, o.replace_id)]
        elif o.action == graph.MERGE:
            causes[o.merged_group_id] = reasons[(o.item_id, o.replace_id)]

    created = [g for g in state.created_groups if g not in state.deleted_groups]
    final_group = {g: g for g in list(existing_groups) + state.created_groups}  # where each group's members end
    for loser, winner in state.merges:
        for g, target in final_group.items():
            if target == loser:
                final_group[g] = winner
    for o in outcomes:
        if o.group_id is not None:
            o.group_id = final_group[o.group_id]

    endpoints = {i for link in state.new_links for i in link}
    open_alerts, kept = alert_states(sorted(endpoints))
    alerts = graph.reconcile_alerts(state.degrees(endpoints), open_alerts, kept)
    return LinkBatch(
        state=state,
        before=before,
        existing_groups=existing_groups,
        outcomes=outcomes,
        reasons=reasons,
        ratios=ratios,
        created_groups=[{"group_id": g, "item_ids": sorted(state.group_items.get(g, ()))} for g in created],
        merges=[
            {"loser_group_id": loser, "winner_group_id": final_group[winner]}
            for loser, winner in state.merges
            if loser in existing_groups
        ],
        alerts_raised=alerts.raise_,
        ratio_updates=ratio_changes(outcomes, ratios),
        causes=causes,
        merge_sizes={loser: size for (loser, _), size in zip(state.merges, state.merge_sizes, strict=True)},
    )


def persist_links(batch: LinkBatch, *, user, source: str) -> BulkLinkResult:
    """Write a planned batch: groups, members, links, alerts, ratios and one audit row per change."""
    state, outcomes = batch.state, batch.outcomes
    via = {} if source == LINK_SOURCE else {"via": source}
    members = state.members
    if state.new_links:
        created = [entry["group_id"] for entry in batch.created_groups]
        real_id = dict(zip(created, create_groups(len(created)), strict=True))
        persist_members(state, batch.before, real_id, batch.existing_groups)
        batch.causes = {real_id.get(g, g): reason for g, reason in batch.causes.items()}
        for entry in batch.created_groups:
            entry["group_id"] = real_id[entry["group_id"]]
        for o in outcomes:
            if o.group_id is not None:
                o.group_id = real_id.get(o.group_id, o.group_id)
        ItemLink.objects.bulk_create(
            (
                ItemLink(
                    item_id=a,
                    replace_item_id=b,
                    ratio=batch.ratios.get((a, b), Decimal(1)),
                    reason=batch.reasons[(a, b)] or None,
                    created_by=user_or_none(user),
                )
                for a, b in state.new_links
            ),
            batch_size=1000,
        )
        touch_groups(o.group_id for o in outcomes if o.status == "new" and o.group_id in batch.existing_groups)
        recompute_alerts({i for link in state.new_links for i in link})
        audit_links(batch, user=user, source=source, via=via)
        members = {
            item_id: graph.Member(real_id.get(m.group_id, m.group_id), m.role, m.sequence)
            for item_id, m in state.members.items()
        }
    group_of = {(o.item_id, o.replace_id): o.group_id for o in outcomes}
    write_ratio_updates(batch.ratio_updates, group_of, batch.reasons, user=user, via=via)
    groups_changed(
        {o.group_id for o in outcomes if o.status == "new"}
        | {m["loser_group_id"] for m in batch.merges}
        | {group_of[(a, b)] for a, b, *_ in batch.ratio_updates}
    )
    result = batch.result(dry_run=False)
    result.members = members
    return result


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
    result says what would happen (the preview is this call).
    """
    ratios = {pair: check_ratio(r) for pair, r in (ratios or {}).items()}
    for item_id, replace_id, _ in pairs:
        check_link_ends(item_id, replace_id)
    if dry_run:
        # Reads only, outside a transaction: on SQLite every transaction begins
        # IMMEDIATE and would queue a preview behind any writer.
        return plan_links(pairs, ratios, lock=False).result(dry_run=True)
    return _write_links(pairs, ratios, user=user, source=source)


@graph_write
def _write_links(pairs, ratios, *, user, source: str) -> BulkLinkResult:
    return persist_links(plan_links(pairs, ratios, lock=True), user=user, source=source)


def audit_links(batch: LinkBatch, *, user, source: str, via: dict[str, str]) -> None:
    """The audit rows of a written batch: each group made, each merge, each new link."""
    who = user_or_none(user)
    new = [o for o in batch.outcomes if o.status == "new"]
    codes = item_codes({i for o in new for i in (o.item_id, o.replace_id)})
    rows = [
        RelationAudit(
            action="group_create",
            user=who,
            group_id=g["group_id"],
            details={"via": source},
            reason=batch.causes.get(g["group_id"]) or None,
        )
        for g in batch.created_groups
    ]
    rows += [
        RelationAudit(
            action="group_merge",
            user=who,
            group_id=m["winner_group_id"],
            details={
                "loser_group_id": m["loser_group_id"],
                "members_moved": batch.merge_sizes[m["loser_group_id"]],
                "via": source,
            },
            reason=batch.causes.get(m["loser_group_id"]) or None,
        )
        for m in batch.merges
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
                **via,
                **ratio_detail(batch.ratios.get((o.item_id, o.replace_id), Decimal(1))),
            ),
            reason=batch.reasons[(o.item_id, o.replace_id)] or None,
        )
        for o in new
    ]
    RelationAudit.objects.bulk_create(rows, batch_size=1000)

"""The rules of the relation graph, in plain Python (no ORM).

`collector.services` loads what a rule needs, calls it and writes the result;
the bulk path replays a whole batch of links through `GraphState`, so a file
of links and the same links entered one by one end alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ORIGINAL = "original"
REPLACEMENT = "replacement"

OUT_DEG_GT1 = "OUT_DEG_GT1"
IN_DEG_GT1 = "IN_DEG_GT1"
MANY_TO_MANY = "MANY_TO_MANY"

CREATE = "create"
ATTACH = "attach"
MERGE = "merge"
WITHIN = "within"


@dataclass(frozen=True)
class LinkPlan:
    """What adding `item -> replace` does to the groups.

    action: `create` (neither item grouped), `attach` (one is), `merge` (both,
    in different groups) or `within` (both already in one group).
    new_members: (item_id, role) pairs that join `group_id` (None: a new group).
    """

    action: str
    group_id: int | None
    loser_group_id: int | None = None
    new_members: tuple[tuple[int, str], ...] = ()


def plan_link(item_id: int, replace_id: int, item_group: int | None, replace_group: int | None) -> LinkPlan:
    """Decide create, attach or merge for a new link; the smaller group id wins."""
    if item_group is None and replace_group is None:
        return LinkPlan(CREATE, None, new_members=((item_id, ORIGINAL), (replace_id, REPLACEMENT)))
    if item_group is None:
        return LinkPlan(ATTACH, replace_group, new_members=((item_id, ORIGINAL),))
    if replace_group is None:
        return LinkPlan(ATTACH, item_group, new_members=((replace_id, REPLACEMENT),))
    if item_group == replace_group:
        return LinkPlan(WITHIN, item_group)
    winner, loser = sorted((item_group, replace_group))
    return LinkPlan(MERGE, winner, loser_group_id=loser)


def merge_offset(winner_max: int | None, loser_min: int | None) -> int:
    """What to add to the loser's sequence numbers so they follow the winner's."""
    return (winner_max or 0) - (loser_min if loser_min is not None else 1) + 1


def alert_type_for(degree_out: int, degree_in: int) -> str | None:
    """The conflict an item's degrees make, or None when it has none."""
    if degree_out > 1 and degree_in > 1:
        return MANY_TO_MANY
    if degree_out > 1:
        return OUT_DEG_GT1
    if degree_in > 1:
        return IN_DEG_GT1
    return None


@dataclass(frozen=True)
class AlertState:
    """An item's alert as stored: the open one, or the last one kept as M:N."""

    alert_type: str
    degree_out: int
    degree_in: int
    alert_id: int | None = None


@dataclass
class AlertChanges:
    """Per item id: alerts to raise and open alerts to update, as (type, out, in); items to close."""

    raise_: dict[int, tuple[str, int, int]] = field(default_factory=dict)
    update: dict[int, tuple[str, int, int]] = field(default_factory=dict)
    close: list[int] = field(default_factory=list)


def reconcile_alerts(
    degrees: Mapping[int, tuple[int, int]],
    open_alerts: Mapping[int, AlertState],
    kept_alerts: Mapping[int, AlertState],
) -> AlertChanges:
    """Compare items' degrees with their alerts and say what to raise, update, close.

    An open alert follows its item's degrees and closes when they drop to one.
    An alert kept as M:N covers the degrees it was kept at: a new alert is
    raised only when a degree grows past them.
    """
    changes = AlertChanges()
    for item_id, (out, in_) in degrees.items():
        wanted = alert_type_for(out, in_)
        current = open_alerts.get(item_id)
        if current is not None:
            if wanted is None:
                changes.close.append(item_id)
            elif (current.alert_type, current.degree_out, current.degree_in) != (wanted, out, in_):
                changes.update[item_id] = (wanted, out, in_)
            continue
        if wanted is None:
            continue
        kept = kept_alerts.get(item_id)
        if kept is not None and out <= kept.degree_out and in_ <= kept.degree_in:
            continue
        changes.raise_[item_id] = (wanted, out, in_)
    return changes


def components(nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> list[set[int]]:
    """Weakly connected components, largest first, ties by smallest member."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for node in nodes:
        find(node)
    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, set[int]] = defaultdict(set)
    for node in list(parent):
        groups[find(node)].add(node)
    return sorted(groups.values(), key=lambda c: (-len(c), min(c)))


def cut_links(links: Iterable[tuple[int, int]], moving: set[int]) -> list[tuple[int, int]]:
    """The links a split cuts: one end moves to the new group, the other stays."""
    return [(a, b) for a, b in links if (a in moving) != (b in moving)]


@dataclass
class Member:
    group_id: int
    role: str | None
    sequence: int | None


@dataclass
class LinkOutcome:
    """What one link of a batch did, in the order the batch gave it."""

    item_id: int
    replace_id: int
    status: str  # "new", "existing" or "reverse"
    action: str | None = None
    group_id: int | None = None
    merged_group_id: int | None = None


class GraphState:
    """The part of the graph a batch of links touches, replayed in memory.

    Load it with every member of every group the batch's items are in, the
    links among those items (at least those touching the batch's items), and
    the highest group id in use: groups the batch creates get the next ids in
    order, as the database would give them one by one.
    """

    def __init__(
        self,
        members: Mapping[int, Member],
        links: Iterable[tuple[int, int]],
        max_group_id: int,
        sizes: Mapping[int, tuple[int | None, int | None, int]] | None = None,
    ) -> None:
        self.members: dict[int, Member] = {k: Member(m.group_id, m.role, m.sequence) for k, m in members.items()}
        self.group_items: dict[int, set[int]] = defaultdict(set)
        for item_id, m in self.members.items():
            self.group_items[m.group_id].add(item_id)
        # Each group's (lowest sequence, highest sequence, member count). Given, when `members`
        # holds only some members of the groups (a write need not load a 10,000-member group);
        # else counted from `members`.
        self.sizes: dict[int, tuple[int | None, int | None, int]] = dict(sizes or {})
        for group_id, items in self.group_items.items():
            if group_id not in self.sizes:
                seqs = [s for s in (self.members[i].sequence for i in items) if s is not None]
                self.sizes[group_id] = (min(seqs, default=None), max(seqs, default=None), len(items))
        # Every group that existed -> (the group its members are in now, the offset their sequences moved by).
        self.moves: dict[int, tuple[int, int]] = {g: (g, 0) for g in self.sizes}
        self.links: set[tuple[int, int]] = set(links)
        self.next_group_id = max_group_id + 1
        self.created_groups: list[int] = []
        self.deleted_groups: set[int] = set()
        self.merges: list[tuple[int, int]] = []  # (loser, winner) in order
        self.merge_sizes: list[int] = []  # how many members each of `merges` moved
        self.new_links: list[tuple[int, int]] = []

    def _bounds(self, group_id: int) -> tuple[int | None, int | None]:
        low, high, _ = self.sizes.get(group_id, (None, None, 0))
        return low, high

    def _grow(self, group_id: int, low: int | None, high: int | None, count: int) -> None:
        """Widen a group's sequence range by [low, high] and add `count` members."""
        old_low, old_high, old_count = self.sizes.get(group_id, (None, None, 0))
        lows = [s for s in (old_low, low) if s is not None]
        highs = [s for s in (old_high, high) if s is not None]
        self.sizes[group_id] = (min(lows, default=None), max(highs, default=None), old_count + count)

    def add_link(self, item_id: int, replace_id: int) -> LinkOutcome:
        if (item_id, replace_id) in self.links:
            found = self.members.get(item_id)
            return LinkOutcome(item_id, replace_id, "existing", group_id=found.group_id if found else None)
        if (replace_id, item_id) in self.links:
            return LinkOutcome(item_id, replace_id, "reverse")
        item_member = self.members.get(item_id)
        replace_member = self.members.get(replace_id)
        plan = plan_link(
            item_id,
            replace_id,
            item_member.group_id if item_member else None,
            replace_member.group_id if replace_member else None,
        )
        group_id = plan.group_id
        if plan.action == CREATE:
            group_id = self.next_group_id
            self.next_group_id += 1
            self.created_groups.append(group_id)
        if plan.action == MERGE:
            loser = plan.loser_group_id
            _, winner_max = self._bounds(group_id)
            loser_min, loser_max = self._bounds(loser)
            offset = merge_offset(winner_max, loser_min)
            size = self.sizes.pop(loser)[2]
            self.merge_sizes.append(size)
            for moved in self.group_items.pop(loser, ()):
                m = self.members[moved]
                m.group_id = group_id
                if m.sequence is not None:
                    m.sequence += offset
                self.group_items[group_id].add(moved)
            self._grow(
                group_id,
                None if loser_min is None else loser_min + offset,
                None if loser_max is None else loser_max + offset,
                size,
            )
            for origin, (now, moved_by) in self.moves.items():
                if now == loser:
                    self.moves[origin] = (group_id, moved_by + offset)
            self.deleted_groups.add(loser)
            self.merges.append((loser, group_id))
        if plan.new_members:
            _, high = self._bounds(group_id)
            sequence = high or 0
            for new_item, role in plan.new_members:
                sequence += 1
                self.members[new_item] = Member(group_id, role, sequence)
                self.group_items[group_id].add(new_item)
            self._grow(group_id, high + 1 if high is not None else 1, sequence, len(plan.new_members))
        self.links.add((item_id, replace_id))
        self.new_links.append((item_id, replace_id))
        return LinkOutcome(item_id, replace_id, "new", plan.action, group_id, plan.loser_group_id)

    def degrees(self, item_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        wanted = set(item_ids)
        out: dict[int, int] = dict.fromkeys(wanted, 0)
        in_: dict[int, int] = dict.fromkeys(wanted, 0)
        for a, b in self.links:
            if a in wanted:
                out[a] += 1
            if b in wanted:
                in_[b] += 1
        return {i: (out[i], in_[i]) for i in wanted}

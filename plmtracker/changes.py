"""What a write changed, announced to the apps that keep something derived from it.

The collector and the feeds sit below the dashboard and attention in the layer order, so
they cannot call them. Instead a write announces here what it changed, inside its own
transaction, and the apps above register listeners in their `AppConfig.ready`: the
dashboard refreshes the figures it keeps per group and day, attention moves its memory
when a group is merged away.

Listeners run in the order they registered, in the writer's transaction and on its
connection: whatever they write commits or rolls back with the change itself, and a
listener that raises rolls the write back. Registering the same listener twice keeps one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

GroupsListener = Callable[[frozenset[int]], None]
ItemsListener = Callable[[frozenset[int]], None]
MergeListener = Callable[[int, int], None]

_groups_changed: list[GroupsListener] = []
_items_changed: list[ItemsListener] = []
_groups_merged: list[MergeListener] = []


def _register(listeners: list, listener: Callable) -> Callable:
    if listener not in listeners:
        listeners.append(listener)
    return listener


def on_groups_changed(listener: GroupsListener) -> GroupsListener:
    """Call `listener(group_ids)` after a write changed these groups (members, links, plan, alerts)."""
    return _register(_groups_changed, listener)


def on_items_changed(listener: ItemsListener) -> ItemsListener:
    """Call `listener(item_ids)` after a write changed these items' inventory rows (stock, burn, orders)."""
    return _register(_items_changed, listener)


def on_groups_merged(listener: MergeListener) -> MergeListener:
    """Call `listener(loser, winner)` when group `loser` is merged into `winner` (before the loser is deleted)."""
    return _register(_groups_merged, listener)


def groups_changed(group_ids: Iterable[int | None]) -> None:
    """Announce that a write changed these groups (ids of groups that no longer exist are fine)."""
    ids = frozenset(group_id for group_id in group_ids if group_id is not None)
    if ids:
        for listener in tuple(_groups_changed):
            listener(ids)


def items_changed(item_ids: Iterable[int | None]) -> None:
    """Announce that a write changed these items' inventory rows."""
    ids = frozenset(item_id for item_id in item_ids if item_id is not None)
    if ids:
        for listener in tuple(_items_changed):
            listener(ids)


def groups_merged(*, loser: int, winner: int) -> None:
    """Announce a merge, inside its transaction, while the loser's rows still exist."""
    for listener in tuple(_groups_merged):
        listener(loser, winner)

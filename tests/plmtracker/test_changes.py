"""The announcements a write makes to the apps above it (plmtracker/changes.py)."""

import pytest

from plmtracker import changes


@pytest.fixture
def heard(monkeypatch):
    """Listeners registered for one test only: what each heard, in order."""
    for name in ("_groups_changed", "_items_changed", "_groups_merged"):
        monkeypatch.setattr(changes, name, [])
    log: list[tuple] = []
    changes.on_groups_changed(lambda ids: log.append(("groups", ids)))
    changes.on_items_changed(lambda ids: log.append(("items", ids)))
    changes.on_groups_merged(lambda loser, winner: log.append(("merged", loser, winner)))
    return log


def test_listeners_hear_the_ids_once_each_without_none(heard):
    changes.groups_changed([3, 1, 3, None])
    changes.items_changed({7})
    changes.groups_merged(loser=9, winner=2)
    assert heard == [("groups", frozenset({1, 3})), ("items", frozenset({7})), ("merged", 9, 2)]


def test_nothing_changed_is_not_announced(heard):
    changes.groups_changed([])
    changes.items_changed([None])
    assert heard == []


def test_a_listener_registered_twice_runs_once(heard):
    calls = []

    def listener(ids):
        calls.append(ids)

    changes.on_groups_changed(listener)
    changes.on_groups_changed(listener)
    changes.groups_changed([5])
    assert calls == [frozenset({5})]


def test_a_failing_listener_raises_to_the_writer(heard):
    def refuse(ids):
        raise RuntimeError("figures could not be refreshed")

    changes.on_groups_changed(refuse)
    with pytest.raises(RuntimeError, match="could not be refreshed"):
        changes.groups_changed([1])

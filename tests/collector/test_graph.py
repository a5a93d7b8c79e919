"""The pure graph rules, without a database."""

import pytest

from collector import graph
from collector.graph import AlertState, GraphState, Member


@pytest.mark.parametrize(
    ("item_group", "replace_group", "action", "group_id", "loser", "new_members"),
    [
        (None, None, "create", None, None, ((1, "original"), (2, "replacement"))),
        (None, 5, "attach", 5, None, ((1, "original"),)),
        (5, None, "attach", 5, None, ((2, "replacement"),)),
        (5, 5, "within", 5, None, ()),
        (7, 3, "merge", 3, 7, ()),
        (3, 7, "merge", 3, 7, ()),
    ],
)
def test_plan_link(item_group, replace_group, action, group_id, loser, new_members):
    plan = graph.plan_link(1, 2, item_group, replace_group)
    assert (plan.action, plan.group_id, plan.loser_group_id, plan.new_members) == (
        action,
        group_id,
        loser,
        new_members,
    )


@pytest.mark.parametrize(
    ("winner_max", "loser_min", "offset"),
    [(5, 1, 5), (None, 1, 0), (3, 10, -6), (5, None, 5), (None, None, 0), (2, 0, 3)],
)
def test_merge_offset_appends_the_loser_after_the_winner(winner_max, loser_min, offset):
    assert graph.merge_offset(winner_max, loser_min) == offset
    if loser_min is not None:
        assert loser_min + offset == (winner_max or 0) + 1


@pytest.mark.parametrize(
    ("out", "in_", "alert"),
    [
        (0, 0, None),
        (1, 1, None),
        (2, 0, "OUT_DEG_GT1"),
        (2, 1, "OUT_DEG_GT1"),
        (1, 3, "IN_DEG_GT1"),
        (2, 2, "MANY_TO_MANY"),
        (5, 3, "MANY_TO_MANY"),
    ],
)
def test_alert_type_for(out, in_, alert):
    assert graph.alert_type_for(out, in_) == alert


def test_reconcile_raises_updates_and_closes():
    degrees = {1: (2, 0), 2: (3, 2), 3: (1, 1), 4: (1, 0)}
    open_alerts = {
        2: AlertState("OUT_DEG_GT1", 2, 1),
        3: AlertState("IN_DEG_GT1", 1, 2),
        4: AlertState("OUT_DEG_GT1", 1, 0),
    }
    changes = graph.reconcile_alerts(degrees, open_alerts, {})
    assert changes.raise_ == {1: ("OUT_DEG_GT1", 2, 0)}
    assert changes.update == {2: ("MANY_TO_MANY", 3, 2)}
    assert sorted(changes.close) == [3, 4]


def test_an_open_alert_that_matches_is_left_alone():
    changes = graph.reconcile_alerts({1: (2, 0)}, {1: AlertState("OUT_DEG_GT1", 2, 0)}, {})
    assert (changes.raise_, changes.update, changes.close) == ({}, {}, [])


@pytest.mark.parametrize(
    ("degrees", "raised"),
    [
        ((2, 0), False),  # as kept
        ((2, 1), False),  # still within what was kept
        ((3, 0), True),  # one more replacement than was kept
        ((2, 2), True),  # now also replacing several
    ],
)
def test_a_kept_alert_covers_the_degrees_it_was_kept_at(degrees, raised):
    changes = graph.reconcile_alerts({1: degrees}, {}, {1: AlertState("OUT_DEG_GT1", 2, 1)})
    assert (1 in changes.raise_) is raised


def test_components_and_cut_links():
    pieces = graph.components([1, 2, 3, 4, 5, 6], [(1, 2), (2, 3), (4, 5)])
    assert pieces == [{1, 2, 3}, {4, 5}, {6}]
    assert graph.cut_links([(1, 2), (2, 3), (4, 5)], {3, 4}) == [(2, 3), (4, 5)]


def test_graph_state_replays_create_attach_merge_like_the_database_would():
    state = GraphState({10: Member(7, "original", 1), 11: Member(7, "replacement", 2)}, [(10, 11)], max_group_id=9)
    a = state.add_link(1, 2)  # new group 10
    b = state.add_link(2, 3)  # attach 3 to group 10
    c = state.add_link(11, 1)  # merge group 10 (new) into 7 (smaller id)
    d = state.add_link(10, 11)  # already there
    e = state.add_link(3, 2)  # reverse of 2 -> 3
    assert (a.status, a.action, a.group_id) == ("new", "create", 10)
    assert (b.action, b.group_id) == ("attach", 10)
    assert (c.action, c.group_id, c.merged_group_id) == ("merge", 7, 10)
    assert d.status == "existing"
    assert e.status == "reverse"
    assert state.created_groups == [10]
    assert state.deleted_groups == {10}
    # Group 10's members 1, 2, 3 (sequences 1, 2, 3) follow 10, 11 (1, 2) in group 7.
    assert {i: (m.group_id, m.role, m.sequence) for i, m in state.members.items()} == {
        10: (7, "original", 1),
        11: (7, "replacement", 2),
        1: (7, "original", 3),
        2: (7, "replacement", 4),
        3: (7, "replacement", 5),
    }
    assert state.degrees([1, 2, 11]) == {1: (1, 1), 2: (1, 1), 11: (1, 1)}


def test_a_state_given_only_some_members_and_the_groups_ranges_moves_the_groups_alike():
    """A single link loads only its two items and each group's (low, high, size); the replay agrees."""
    whole = {i: Member(1, None, i) for i in range(1, 6)} | {i: Member(2, None, i - 10) for i in range(13, 17)}
    links = [(1, 13)]
    full = GraphState(whole, [], max_group_id=2)
    sparse = GraphState({1: whole[1], 13: whole[13]}, [], max_group_id=2, sizes={1: (1, 5, 5), 2: (3, 6, 4)})
    for state in (full, sparse):
        for a, b in links:
            state.add_link(a, b)
        state.add_link(13, 99)  # a new item joins after the merge
    assert full.merges == sparse.merges == [(2, 1)] and full.merge_sizes == sparse.merge_sizes == [4]
    assert full.members[99] == sparse.members[99] == Member(1, "replacement", 10)
    assert sparse.moves == {1: (1, 0), 2: (1, 3)}  # group 2's members follow group 1's five: 3..6 -> 6..9
    assert [full.members[i].sequence for i in range(13, 17)] == [6, 7, 8, 9]

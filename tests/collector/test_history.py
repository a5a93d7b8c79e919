"""Audit rows in a planner's words (no database)."""

import pytest

from collector.history import describe, item_ids_named

CODES = {7: "A0007", 8: "A0008"}


@pytest.mark.parametrize(
    ("action", "details", "sentence"),
    [
        ("link_add", {"item": "A1", "replace": "A2", "grouping": "merge"}, "A1 is replaced by A2 (merged two groups)"),
        (
            "link_add",
            {"item": "A1", "replace": "A2", "grouping": "attach", "via": "import"},
            "A1 is replaced by A2 (joined the group, from a data import)",
        ),
        ("link_remove", {"item": "A1", "replace": "A2", "components_after": 1}, "Removed A1 → A2"),
        (
            "link_remove",
            {"item": "A1", "replace": "A2", "components_after": 3},
            "Removed A1 → A2; the group's links now make 3 pieces",
        ),
        ("group_create", {"via": "link"}, "Created by its first link"),
        ("group_create", {"via": "manual"}, "Created by hand"),
        ("group_create", {"via": "split", "from_group_id": 4}, "Created by a split of group 4"),
        ("group_create", {"via": "seed_demo"}, "Created from the demo data"),
        (
            "group_merge",
            {"loser_group_id": 9, "members_moved": 3, "via": "link"},
            "Group 9 merged in by a new link (3 members moved)",
        ),
        ("group_merge", {"loser_group_id": 9, "via": "bulk"}, "Group 9 merged in"),
        (
            "group_split",
            {"new_group_id": 12, "moved_item_ids": [7, 8], "cut_links": [[1, 7]]},
            "A0007, A0008 split off into group 12; 1 link(s) cut",
        ),
        (
            "group_update",
            {"changes": {"status": {"from": "draft", "to": "active"}, "owner": {"from": None, "to": "Sam"}}},
            "Status draft → active; Owner none → Sam",
        ),
        ("member_role", {"item_id": 7, "from": "replacement", "to": None}, "A0007: Replacement → no role"),
        ("member_move", {"item_id": 8, "direction": "up", "position": 1}, "A0008 promoted to position 1"),
        ("member_move", {"item_id": 99, "direction": "down", "position": 4}, "item 99 demoted to position 4"),
        (
            "alert_resolve",
            {"item_id": 7, "alert_type": "OUT_DEG_GT1", "degree_out": 2, "degree_in": 0},
            "A0007: “One item replaced by several” kept as many-to-many (replaced by 2, replaces 0)",
        ),
        ("something_new", {"x": 1}, "x: 1"),
    ],
)
def test_describe(action, details, sentence):
    assert describe(action, details, CODES) == sentence


def test_the_item_ids_whose_codes_are_needed():
    rows = [{"item_id": 7}, {"item_id": 1, "item": "A1"}, {"moved_item_ids": [8, 9]}, {"changes": {}}]
    assert item_ids_named(rows) == {7, 8, 9}

"""The attention rules on plain figures: each kind's trigger and its non-trigger, by number."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from attention import rules
from attention.rules import Group

AS_OF = date(2026, 11, 20)


def group(**changes) -> Group:
    values = dict(
        group_id=7,
        title="GLOVE A -> GLOVE B",
        status="active",
        owner_id=3,
        owner="Olga Owner <olga@example.org>",
        start_date=date(2026, 10, 1),
        end_date=date(2026, 12, 31),
        last_order_date=None,
        use_up_policy="use_up",
    )
    return Group(**(values | changes))


@pytest.mark.parametrize(
    ("changes", "lines", "expected"),
    [
        ({}, 2, 2.0),  # cut-off = start date, lines after it: 2 items
        ({}, 0, None),  # no line in the last 7 days
        ({"start_date": None}, 3, None),  # no cut-off at all
        ({"last_order_date": date(2026, 11, 25)}, 3, None),  # a future cut-off: nothing is leakage yet
        ({"last_order_date": AS_OF}, 3, None),  # cut-off today: po_date > as_of cannot be <= as_of
    ],
)
def test_leakage(changes, lines, expected):
    item = rules.leakage(group(**changes), AS_OF, lines, Decimal("12.5"), date(2026, 11, 19))
    assert (item.value if item else None) == expected
    if item:
        assert item.kind == "leakage" and item.location_id is None and item.date == date(2026, 11, 19)
        assert "12.50 EA" in item.detail and "2026-10-01" in item.detail


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"end_date": date(2026, 11, 10)}, 10.0),
        ({"end_date": AS_OF}, None),  # ends today: not yet overdue
        ({"end_date": None}, None),
        ({"end_date": date(2026, 11, 10), "status": "draft"}, None),  # only active groups are overdue
    ],
)
def test_overdue(changes, expected):
    item = rules.overdue(group(**changes), AS_OF)
    assert (item.value if item else None) == expected


@pytest.mark.parametrize(
    ("changes", "on_hand", "expected"),
    [
        ({"end_date": date(2026, 11, 1), "use_up_policy": "use_until_end"}, 25, 25.0),
        ({"end_date": date(2026, 11, 1), "use_up_policy": "immediate"}, Decimal("0.5"), 0.5),
        ({"end_date": date(2026, 11, 1), "use_up_policy": "use_up"}, 25, 25.0),  # beyond the horizon's use
        ({"end_date": AS_OF, "use_up_policy": "immediate"}, 25, None),  # as_of must be after the end
        ({"end_date": date(2026, 11, 1), "use_up_policy": "immediate"}, 0, None),  # nothing left
        ({"end_date": None, "use_up_policy": "immediate"}, 25, None),
    ],
)
def test_stranded_now(changes, on_hand, expected):
    item = rules.stranded_now(group(**changes), AS_OF, on_hand, 12)
    assert (item.value if item else None) == expected
    if item:
        assert "after the end date 2026-11-01 are stranded" in item.detail and item.detail.endswith("worth $12")


def test_open_conflicts():
    assert rules.open_conflicts(group(), 0, None) is None
    item = rules.open_conflicts(group(), 2, date(2026, 11, 2))
    assert (item.kind, item.value, item.severity, item.link) == ("open_conflicts", 2.0, 4, "group")
    assert item.detail == "2 open conflicts to resolve or keep"


@pytest.mark.parametrize(
    ("go_live", "late", "at_risk", "kind", "value"),
    [
        (date(2026, 11, 15), True, False, "late_go_live", 5.0),
        (date(2026, 11, 30), False, True, "go_live_at_risk", 10.0),
        (date(2026, 11, 30), False, False, None, None),
        (None, False, False, None, None),
    ],
)
def test_go_live(go_live, late, at_risk, kind, value):
    item = rules.go_live(group(), AS_OF, (1001, "PAR 1001"), go_live, "set_up", late, at_risk)
    assert (item.kind if item else None, item.value if item else None) == (kind, value)
    if item:
        assert (item.location_id, item.location_name, item.date) == (1001, "PAR 1001", go_live)
        assert item.key == f"{kind}:7:1001"


@pytest.mark.parametrize(
    ("cutover", "on_hand", "burn", "expected"),
    [
        (10.0, 60, 2, 10.0),  # replacements last 10 days, originals run out in 30: risk
        (10.0, 62, 2, None),  # originals last 31 days: not within 30
        (14.0, 10, 2, None),  # replacements cover 14 days: enough
        (None, 10, 2, None),  # no demand: no cut-over coverage
        (3.0, 10, 0, None),  # originals do not run out at a burn of 0
        (0.0, 0, 5, 0.0),  # nothing left of either
    ],
)
def test_replacement_stockout_risk(cutover, on_hand, burn, expected):
    item = rules.replacement_stockout_risk(group(), AS_OF, cutover, on_hand, burn)
    assert (item.value if item else None) == expected


def test_run_out_date_of_the_originals():
    assert rules.originals_run_out_within(AS_OF, 60, 2) == date(2026, 12, 20)
    assert rules.originals_run_out_within(AS_OF, Decimal("0.000001"), Decimal("0.000001")) == date(2026, 11, 21)
    assert rules.originals_run_out_within(AS_OF, 10**9, Decimal("0.000001")) is None


def test_items_sort_by_consequence_then_dollars_then_date():
    g = group()
    items = [
        rules.open_conflicts(g, 1, date(2026, 1, 1)),
        rules.go_live(g, AS_OF, (2, "B"), date(2026, 11, 25), "set_up", False, True),
        rules.go_live(g, AS_OF, (1, "A"), date(2026, 11, 10), "not_set_up", True, False),
        rules.leakage(g, AS_OF, 1, 1, date(2026, 11, 18), spend=Decimal("40.50")),
        rules.leakage(group(group_id=8), AS_OF, 3, 9, date(2026, 11, 1), spend=Decimal("900")),
        rules.stranded_now(group(end_date=date(2026, 11, 1), use_up_policy="immediate"), AS_OF, 30, 120),
        rules.overdue(group(end_date=date(2026, 11, 1)), AS_OF),
        rules.replacement_stockout_risk(g, AS_OF, 2.5, 20, 2),
    ]
    ordered = sorted(items, key=rules.sort_key)
    assert [(i.kind, i.dollars) for i in ordered] == [
        ("replacement_stockout_risk", None),  # 1 supply
        ("leakage", 900.0),  # 2 money, the most dollars first
        ("stranded_now", 120.0),
        ("leakage", 40.5),
        ("overdue", None),  # 3 schedule, 2026-11-01
        ("late_go_live", None),  # 2026-11-10
        ("go_live_at_risk", None),  # 2026-11-25
        ("open_conflicts", None),  # 4 curation
    ]
    assert [rules.SEVERITIES[i.severity] for i in ordered[:2]] == ["Supply", "Money"]


def test_one_stockout_risk_ranks_above_170_late_go_lives():
    g = group()
    late = [
        rules.go_live(g, AS_OF, (n, f"L{n}"), date(2026, 1, 1) + timedelta(days=n), "not_set_up", True, False)
        for n in range(170)
    ]
    risk = rules.replacement_stockout_risk(group(group_id=99), AS_OF, 11, 20, 2)
    ordered = sorted([*late, risk], key=rules.sort_key)
    assert ordered[0] is risk
    assert len(ordered) == 171

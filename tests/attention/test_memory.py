"""The attention memory: runs across refreshed days, states and their expiry, merges, the refresh command."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from attention import memory
from attention.models import AttentionRun
from attention.rules import Item
from attention.services import AttentionActionError, attention_act, attention_refresh
from collector.models import RelationAudit
from plmtracker import changes

D1 = date(2026, 11, 2)


def item(group_id: int, kind: str = "overdue", location_id: int | None = None) -> Item:
    return Item(
        kind=kind,
        group_id=group_id,
        group_title="G",
        group_status="active",
        owner_id=None,
        owner=None,
        location_id=location_id,
        location_name=None,
        value=1.0,
        detail="",
        date=None,
        link="plan",
    )


def runs(key: str) -> list[tuple[date, date]]:
    return list(AttentionRun.objects.filter(key=key).order_by("first_seen").values_list("first_seen", "last_seen"))


def test_runs_begin_continue_end_and_begin_again_after_a_gap(world):
    a, b = item(world.g1), item(world.g2, "late_go_live", 2003)
    d2, d3, d4 = (D1 + timedelta(days=n) for n in (1, 2, 3))
    first = attention_refresh(as_of=D1, items=[a, b])
    assert (first.began, first.continued, first.ended) == (2, 0, 0)
    second = attention_refresh(as_of=d2, items=[a])  # b ends
    assert (second.began, second.continued, second.ended) == (0, 1, 0)
    attention_refresh(as_of=d3, items=[a, b])  # b fires again: a new run
    assert runs(a.key) == [(D1, d3)]
    assert runs(b.key) == [(D1, D1), (d3, d3)]
    assert memory.memories(d3)[b.key].as_dict(d3)["new"] is True
    assert memory.memories(d3)[a.key].as_dict(d3)["open_days"] == 3
    # A day refreshed again gives the same result, whatever the earlier refresh of it said.
    attention_refresh(as_of=d3, items=[a])
    assert runs(b.key) == [(D1, D1)] and runs(a.key) == [(D1, d3)]
    attention_refresh(as_of=d3, items=[b])
    assert runs(a.key) == [(D1, d2)] and runs(b.key) == [(D1, D1), (d3, d3)]
    attention_refresh(as_of=d3, items=[a, b])
    assert runs(a.key) == [(D1, d3)]
    attention_refresh(as_of=d4, items=[])
    assert runs(a.key) == [(D1, d3)] and memory.memories(d4) == {}


def test_states_and_the_snooze_running_out(world):
    keys = [item(world.g1).key, item(world.g1, "leakage").key, item(world.g3, "replacement_stockout_risk").key]
    attention_refresh(as_of=D1, items=[item(world.g1), item(world.g1, "leakage"), item(world.g3, "stranded_now")])
    d2 = D1 + timedelta(days=1)
    attention_act(user=world.owner, keys=[keys[0]], action="acknowledge", as_of=D1, note="on it")
    attention_act(user=world.owner, keys=[keys[1]], action="snooze", until=d2, as_of=D1)
    assert memory.listed_count(D1) == 2  # open and acknowledged; the snoozed one is hidden
    assert memory.memories(D1)[keys[0]].state == "acknowledged"
    attention_refresh(as_of=d2, items=[item(world.g1), item(world.g1, "leakage"), item(world.g3, "stranded_now")])
    assert memory.memories(d2)[keys[1]].state == "snoozed"  # hidden while as_of <= until
    d3 = d2 + timedelta(days=1)
    attention_refresh(as_of=d3, items=[item(world.g1), item(world.g1, "leakage")])
    assert memory.memories(d3)[keys[1]].state == "open"  # then open again
    attention_act(user=world.steward, keys=[keys[0]], action="dismiss", reason="accepted", as_of=d3)
    assert memory.listed_count(d3) == 1
    attention_refresh(as_of=d3 + timedelta(days=1), items=[item(world.g1)])
    assert memory.memories(d3 + timedelta(days=1))[keys[0]].state == "dismissed"  # hidden until a new run
    attention_act(user=world.owner, keys=[keys[0]], action="reopen", as_of=d3 + timedelta(days=1))
    assert memory.memories(d3 + timedelta(days=1))[keys[0]].state == "open"
    audits = RelationAudit.objects.filter(action="attention_state", group_id=world.g1).order_by("audit_id")
    assert [(a.details["from"], a.details["to"], a.user_id) for a in audits] == [
        ("open", "acknowledged", world.owner.pk),
        ("open", "snoozed", world.owner.pk),
        ("acknowledged", "dismissed", world.steward.pk),
        ("dismissed", "open", world.owner.pk),
    ]
    assert audits[0].details["note"] == "on it" and audits[2].details["reason"] == "accepted"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"keys": ["overdue:999999:"]}, "No item today has the key overdue:999999:"),
        ({"action": "snooze", "until": D1}, "Snooze until a day after today"),
        ({"action": "snooze"}, "Snooze until a day after today"),
        ({"action": "dismiss"}, "Dismiss needs a reason"),
        ({"action": "dismiss", "reason": "bored"}, "Dismiss needs a reason"),
        ({"note": "a\x00b"}, "NUL"),
        ({"action": "shout"}, "The action must be one of"),
        ({"keys": []}, "Choose at least one item"),
    ],
)
def test_bad_actions_are_refused_and_write_nothing(world, changes, message):
    attention_refresh(as_of=D1, items=[item(world.g1)])
    asked = {"user": world.owner, "keys": [item(world.g1).key], "action": "acknowledge", "as_of": D1} | changes
    with pytest.raises(AttentionActionError, match=message):
        attention_act(**asked)
    assert memory.memories(D1)[item(world.g1).key].state == "open"
    assert not RelationAudit.objects.filter(action="attention_state").exists()


def test_only_owners_and_stewards_may_act(world):
    attention_refresh(as_of=D1, items=[item(world.g1), item(world.g2)])
    with pytest.raises(PermissionDenied):
        attention_act(user=world.planner, keys=[item(world.g1).key], action="acknowledge", as_of=D1)
    with pytest.raises(PermissionDenied):  # Olga owns G1, not G2: the batch is refused whole
        attention_act(user=world.owner, keys=[item(world.g1).key, item(world.g2).key], action="acknowledge", as_of=D1)
    assert {m.state for m in memory.memories(D1).values()} == {"open"}
    attention_act(user=world.steward, keys=[item(world.g2).key], action="acknowledge", as_of=D1)
    assert memory.memories(D1)[item(world.g2).key].state == "acknowledged"


def test_a_merge_carries_memory_and_the_later_first_seen_wins(world):
    d2 = D1 + timedelta(days=1)
    attention_refresh(as_of=D1, items=[item(world.g2), item(world.g2, "late_go_live", 2003)])
    attention_refresh(as_of=d2, items=[item(world.g1), item(world.g2), item(world.g2, "late_go_live", 2003)])
    attention_act(user=world.steward, keys=[item(world.g2).key], action="acknowledge", as_of=d2)
    changes.groups_merged(
        loser=world.g2, winner=world.g1
    )  # G2's overdue (from D1) clashes with G1's (from D2): G1's is later
    assert runs(item(world.g1).key) == [(d2, d2)]
    assert runs(item(world.g1, "late_go_live", 2003).key) == [(D1, d2)]
    assert not AttentionRun.objects.filter(group_id=world.g2).exists()


def test_the_refresh_command_reads_the_items_and_says_what_it_did(world, capsys):
    call_command("attention_refresh", "--as-of", world.today.isoformat())
    out = capsys.readouterr().out
    assert out.startswith(f"{world.today.isoformat()}: 7 item(s) fire; 7 new, 0 continued, 0 ended.")
    assert memory.day_state(world.today) == (True, True)  # fresh, and its folds kept


def test_a_state_change_shows_in_the_groups_history(world, client):
    attention_refresh(as_of=world.today)
    until = world.today + timedelta(days=3)
    key = f"leakage:{world.g1}:"
    attention_act(user=world.owner, keys=[key], action="snooze", until=until, note="<b>PO</b>", as_of=world.today)
    client.force_login(world.planner)
    page = client.get(f"/groups/{world.g1}").content.decode()
    assert "Attention item" in page
    assert f"Leakage: open → snoozed until {until.isoformat()}; note: &lt;b&gt;PO&lt;/b&gt;" in page

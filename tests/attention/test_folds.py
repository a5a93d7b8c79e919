"""Today's kept folds (attention_fold) hold the rows, order and totals that grouping today's runs gives,
after every write of the memory: a refresh, each action, a merge; and the page reads them."""

import re
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection

from attention import memory, services
from attention.models import AttentionDay, AttentionFold
from attention.rules import Item
from attention.services import attention_act, attention_refresh
from plmtracker import changes
from tests.attention.test_memory import item as bare_item

COLUMNS = ("group_id", "kind", "class_", "money", "oldest", "first_location", "all_rows", "all_items")


def grouped(day, **filters) -> list[tuple]:
    """What the page computed before the fold table: today's listed runs grouped per request."""
    return list(memory.with_totals(memory.folds(memory.listed_runs(day, **filters))).values_list(*COLUMNS))


def kept(day, **filters) -> list[tuple]:
    """What the page reads now: the kept folds in order, and their totals."""
    folds = memory.kept_folds(day, **filters)
    totals = memory.fold_totals(folds)
    return [(*row, *totals) for row in memory.fold_order(folds).values_list(*COLUMNS[:-2])]


def item(world, group_id: int, kind: str, location_id=None, dollars=None, days=None) -> Item:
    """test_memory's item, with dollars and a date `days` from today."""
    return replace(
        bare_item(group_id, kind, location_id), dollars=dollars, date=None if days is None else world.day(days)
    )


@pytest.fixture
def planner(world, client):
    client.force_login(world.planner)
    return client


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", page)


def assert_same(world):
    filters = [
        {},
        {"kinds": ["late_go_live"]},
        {"owner_id": world.owner.pk},
        {"statuses": ["active"]},
        {"severity": 2},
        {"group_id": world.g2},
    ]
    for narrow in filters:
        assert kept(world.today, **narrow) == grouped(world.today, **narrow), narrow
    for owner_id in (None, world.owner.pk):  # the badge: the kept folds' items, as many as the runs listed
        assert memory.listed_count(world.today, owner_id, kept=True) == memory.listed_count(world.today, owner_id)


@pytest.fixture
def firing(world):
    return [
        item(world, world.g1, "overdue", days=-5),
        item(world, world.g1, "leakage", dollars=6.0),
        item(world, world.g3, "stranded_now", 2001, dollars=40.0),
        item(world, world.g3, "replacement_stockout_risk"),
        *(item(world, world.g2, "late_go_live", loc, days=-n) for n, loc in enumerate((2001, 2002, 2003), 1)),
        item(world, world.g2, "leakage", 2002, dollars=25.5),
        item(world, world.g2, "leakage", 2003, dollars=10.0),
    ]


def test_folds_follow_every_write_of_the_memory(world, firing):
    today = world.today
    attention_refresh(as_of=today, items=firing)
    assert AttentionDay.objects.get(day=today).folded
    assert kept(today)[:3] == [
        (world.g3, "replacement_stockout_risk", 1, None, None, None, 6, 9),
        (world.g3, "stranded_now", 2, 40.0, None, 2001, 6, 9),
        (world.g2, "leakage", 2, 35.5, None, 2002, 6, 9),  # two locations' dollars added
    ]
    assert_same(world)

    key = lambda kind, group, loc="": f"{kind}:{group}:{loc}"  # noqa: E731
    attention_act(user=world.steward, keys=[key("late_go_live", world.g2, 2003)], action="snooze",
                  until=today + timedelta(days=2), as_of=today)  # fmt: skip
    attention_act(user=world.steward, keys=[key("leakage", world.g2, 2002)], action="dismiss", reason="accepted",
                  as_of=today)  # fmt: skip
    attention_act(user=world.owner, keys=[key("overdue", world.g1)], action="acknowledge", as_of=today)
    assert (world.g2, "leakage", 2, 10.0, None, 2003, 6, 7) in kept(today)  # the dismissed location left the row
    assert (world.g2, "late_go_live", 3, None, world.day(-2), 2001, 6, 7) in kept(today)  # and the snoozed one
    assert_same(world)

    attention_act(user=world.steward, keys=[key("leakage", world.g2, 2002)], action="reopen", as_of=today)
    assert_same(world)

    changes.groups_merged(loser=world.g2, winner=world.g1)  # the memory moves to G1: so do its folds
    assert not AttentionFold.objects.filter(group_id=world.g2).exists()
    assert any(row[:2] == (world.g1, "late_go_live") for row in kept(today))
    assert_same(world)

    attention_refresh(as_of=today, items=[replace(one, group_id=world.g1) for one in firing[:4]])
    assert_same(world)
    assert kept(today)[0][-2:] == (4, 4)


def test_a_day_recorded_before_the_fold_table_lists_the_same_rows(world, planner):
    """A site upgraded during the day has today's runs and no folds: the page groups the runs until the next refresh."""
    planner.get("/attention")
    page = without_tokens(planner.get("/attention").content.decode())
    AttentionFold.objects.all().delete()
    AttentionDay.objects.update(folded=False)
    again = without_tokens(planner.get("/attention").content.decode())
    assert '<strong id="attention-total">7</strong>' in page and '<span id="attention-rows">7</span>' in page
    assert again == page


def test_filters_a_fold_does_not_answer_group_the_runs(world, planner):
    """A location, "new only" or another state narrows a fold's items: those lists group today's runs."""
    planner.get("/attention")
    AttentionFold.objects.all().delete()  # were the page to read the folds, it would list nothing
    for query, total in [({"location": "2003"}, 1), ({"new": "on"}, 7), ({"state": "all"}, 7)]:
        page = planner.get("/attention", query).content.decode()
        assert f'<strong id="attention-total">{total}</strong>' in page, query


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_actions_on_one_group_at_once_both_commit_and_keep_its_folds_right(world, firing, monkeypatch):
    """Each action rewrites the group's folds under the day's lock: without it the second would clash with the first."""
    attention_refresh(as_of=world.today, items=firing)
    both_acted = threading.Barrier(2)
    lock_day = services.lock_day

    def after_both_wrote_their_runs(day):
        both_acted.wait(timeout=30)
        return lock_day(day)

    monkeypatch.setattr(services, "lock_day", after_both_wrote_their_runs)
    errors: list[BaseException] = []

    def act(location_id: int) -> None:
        try:
            attention_act(user=world.steward, keys=[f"late_go_live:{world.g2}:{location_id}"], action="dismiss",
                          reason="accepted", as_of=world.today)  # fmt: skip
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(location_id,)) for location_id in (2001, 2003)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (world.g2, "late_go_live", 3, None, world.day(-2), 2002, 6, 7) in kept(world.today)
    assert_same(world)

"""Every collector write announces the groups it changed (plmtracker/changes.py), inside its transaction."""

from datetime import date

import pytest
from django.db import connection

from collector import plans, services
from collector.models import ItemGroup, ItemLink
from plmtracker import changes
from tests.collector.services.conftest import add
from tests.factories import ItemLocationFactory, LocationFactory

pytestmark = pytest.mark.django_db

# One listener for the whole run (registering it again keeps one); each test reads what it heard.
HEARD: list[tuple] | None = None


def _on_changed(group_ids):
    if HEARD is not None:
        HEARD.append(("changed", group_ids, connection.in_atomic_block))


def _on_merged(loser, winner):
    if HEARD is not None:
        HEARD.append(("merged", (loser, winner), connection.in_atomic_block))


@pytest.fixture
def heard():
    global HEARD
    changes.on_groups_changed(_on_changed)
    changes.on_groups_merged(_on_merged)
    HEARD = []
    yield HEARD
    HEARD = None


def changed(heard) -> list[set[int]]:
    """The group ids of each `groups_changed`, in order, and empty what was heard."""
    found = [set(ids) for kind, ids, _ in heard if kind == "changed"]
    heard.clear()
    return found


def test_links_announce_the_groups_they_make_join_and_merge(items, heard):
    a, b, c, d, e = items[:5]
    g1 = add(a, b).group_id
    assert changed(heard) == [{g1}]
    add(b, c)
    assert changed(heard) == [{g1}]
    g2 = add(d, e).group_id
    heard.clear()
    result = add(c, d)
    assert result.group_id == g1 and result.merged_group_ids == [g2]
    assert [h[:2] for h in heard] == [("merged", (g2, g1)), ("changed", {g1, g2})]
    heard.clear()
    add(a, b)  # already recorded, same ratio: nothing changed
    assert heard == []
    add(a, b, ratio="2")
    assert changed(heard) == [{g1}]


def test_a_refused_link_announces_nothing(items, heard):
    add(items[0], items[1])
    add(items[2], items[3])
    heard.clear()
    with pytest.raises(services.ReverseLinkError):
        add(items[1], items[0])
    with pytest.raises(services.MergeNotConfirmedError):
        add(items[1], items[2], merge_confirmed=False)
    assert heard == []


def test_a_batch_announces_once_and_its_preview_never(items, heard):
    g = add(items[0], items[1]).group_id
    heard.clear()
    pairs = [(items[2].pk, items[3].pk, None), (items[1].pk, items[4].pk, None), (items[5].pk, items[6].pk, None)]
    services.links_add_bulk(pairs=pairs, dry_run=True)
    assert heard == []
    result = services.links_add_bulk(pairs=pairs)
    made = {entry["group_id"] for entry in result.created_groups}
    assert len(made) == 2 and g not in made
    assert changed(heard) == [{g} | made]


def test_removing_a_link_announces_its_group(items, heard):
    g = add(items[0], items[1]).group_id
    heard.clear()
    services.link_remove(item_id=items[0].pk, replace_item_id=items[1].pk)
    assert changed(heard) == [{g}]


def test_merge_and_split_by_hand_announce_both_groups(items, heard):
    a, b, c, d = items[:4]
    g1, g2 = add(a, b).group_id, add(c, d).group_id
    heard.clear()
    services.group_merge(group_id=g2, target_group_id=g1)
    assert [h[:2] for h in heard] == [("merged", (g2, g1)), ("changed", {g1, g2})]
    heard.clear()
    services.group_split(group_id=g1, item_ids=[a.pk, b.pk], dry_run=True)
    assert heard == []
    split = services.group_split(group_id=g1, item_ids=[a.pk, b.pk])
    assert changed(heard) == [{g1, split.new_group_id}]


def test_member_and_group_writes_announce_their_group(items, heard):
    a, b, c = items[:3]
    g = add(a, b).group_id
    add(b, c)
    heard.clear()
    services.member_set_role(item_id=a.pk, role="replacement")
    services.member_set_role(item_id=a.pk, role="replacement")  # no change, no announcement
    services.member_move(item_id=c.pk, direction="up")
    services.group_update(group_id=g, status="active")
    services.group_update(group_id=g, status="active")
    assert changed(heard) == [{g}, {g}, {g}]
    new = services.group_create(name="Gloves")
    assert changed(heard) == [{new.pk}]


def test_plan_writes_announce_their_groups(items, heard):
    g = add(items[0], items[1]).group_id
    places = [LocationFactory(location_id=200 + n) for n in range(2)]
    for place in places:
        ItemLocationFactory(item=items[0], location=place)
    heard.clear()
    plans.group_plan_update(group_id=g, name="Syringes")
    plans.location_plan_set(group_id=g, location_id=places[0].pk, go_live_date=date(2027, 3, 1))
    plans.location_plans_set_empty(group_id=g, go_live_date=date(2027, 4, 1))
    plans.location_plans_replace(group_id=g, plans=[{"location_id": places[0].pk, "go_live_date": date(2027, 5, 1)}])
    plans.location_plans_upsert(plans=[plans.ImportedPlan(g, places[1].pk, date(2027, 6, 1), None)], write=False)
    plans.location_plans_upsert(plans=[plans.ImportedPlan(g, places[1].pk, date(2027, 6, 1), None)])
    assert changed(heard) == [{g}] * 5


def test_resolving_a_conflict_announces_its_group(items, heard):
    a, b, c = items[:3]
    g = add(a, b).group_id
    add(a, c)  # a is replaced by two items: a conflict
    heard.clear()
    services.alert_resolve(item_id=a.pk)
    assert changed(heard) == [{g}]


@pytest.mark.django_db(transaction=True)
def test_listeners_run_inside_the_write_and_a_failing_one_rolls_it_back(items, heard):
    add(items[0], items[1])
    assert heard and all(inside for *_, inside in heard)

    refusing = True

    def refuse(group_ids):
        if refusing:
            raise RuntimeError("listener failed")

    changes.on_groups_changed(refuse)
    try:
        with pytest.raises(RuntimeError):
            add(items[2], items[3])
    finally:
        refusing = False  # listeners stay registered for the run; this one now lets writes through
    assert ItemLink.objects.count() == 1 and ItemGroup.objects.count() == 1

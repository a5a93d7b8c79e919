"""The attention list read from the database: every kind once, the filters, constant queries."""

from datetime import timedelta

import pytest

from attention.queries import attention_items
from collector.models import ItemGroup
from collector.services import group_update, link_add
from plmtracker.inventory.models import BurnRateDaily, ItemLocation
from tests.factories import ItemFactory, ItemLocationFactory, PoLineFactory


def found(items):
    return {(i.kind, i.group_id, i.location_id): i.value for i in items}


def test_every_kind_fires_on_its_group(world):
    items = attention_items(world.today)
    assert found(items) == {
        ("leakage", world.g1, None): 1.0,
        ("overdue", world.g1, None): 5.0,
        ("stranded_now", world.g1, None): 30.0,
        ("go_live_at_risk", world.g2, 2002): 5.0,
        ("late_go_live", world.g2, 2003): 3.0,
        ("open_conflicts", world.g2, None): 1.0,
        ("replacement_stockout_risk", world.g3, None): 2.5,
    }
    # Consequence first: supply, then money by dollars (leakage 6 EA at $1, stranded 30 EA at $1), schedule, curation.
    assert [(i.kind, i.dollars) for i in items] == [
        ("replacement_stockout_risk", None),
        ("stranded_now", 30.0),
        ("leakage", 6.0),
        ("overdue", None),  # ended T-5
        ("late_go_live", None),  # T-3
        ("go_live_at_risk", None),  # T+5
        ("open_conflicts", None),
    ]
    leakage = next(i for i in items if i.kind == "leakage")
    assert leakage.group_title == "Gloves to nitrile"
    assert leakage.owner == "Olga Owner <olga@example.org>"
    assert leakage.date == world.day(-2)


def test_filters_narrow_kind_owner_and_status(world):
    assert {i.kind for i in attention_items(world.today, kinds=["late_go_live"])} == {"late_go_live"}
    mine = attention_items(world.today, owner_id=world.owner.pk)
    assert {i.group_id for i in mine} == {world.g1, world.g3}
    drafts = attention_items(world.today, statuses=["draft"])
    assert {i.group_id for i in drafts} == {world.g2}
    assert attention_items(world.today, statuses=["retired"]) == attention_items(world.today)


def test_stranded_now_follows_the_groups_policy(world, settings):
    """docs/DESIGN.md "From figures to actions": stranded_now fires past the end date when the group's stranded
    EA by its policy is above 0. G1's A: 158 EA at L1, a par location."""
    ItemLocation.objects.filter(item__membership__group_id=world.g1, item__membership__role="original").update(
        on_hand_ea=158
    )
    ItemGroup.objects.filter(pk=world.g1).update(use_up_policy="use_up")
    stranded = lambda: found(attention_items(world.today, kinds=["stranded_now"]))  # noqa: E731
    # A burns 1 a day: 158 EA are used well within 365 days, nothing is stranded.
    assert stranded() == {}
    settings.PLM_USE_UP_HORIZON_DAYS = 100
    assert stranded() == {("stranded_now", world.g1, None): 58.0}
    # No burn at all there: all 158 EA (not "0 EA"), at A's latest price $1.
    settings.PLM_USE_UP_HORIZON_DAYS = 365
    BurnRateDaily.objects.filter(item__membership__group_id=world.g1, item__membership__role="original").delete()
    (item,) = attention_items(world.today, kinds=["stranded_now"])
    assert (item.value, item.group_id) == (158.0, world.g1)
    assert "158 EA of originals" in item.detail and "not used within 365 days" in item.detail
    assert item.detail.endswith("worth $158")
    # immediate: what is left at the go-live of the location, here the start date T-60, long past: all of it.
    ItemGroup.objects.filter(pk=world.g1).update(use_up_policy="immediate")
    assert stranded() == {("stranded_now", world.g1, None): 158.0}


def test_the_day_moves_the_triggers(world):
    """Nine days ago G1 had not ended, neither leakage line was bought yet, and both of G2's go-lives were
    ahead (T-3 and T+5 both within 14 days of T-9: at risk, not late)."""
    earlier = world.today - timedelta(days=9)
    kinds = {(i.kind, i.group_id, i.location_id) for i in attention_items(earlier)}
    assert not {k for k in kinds if k[1] == world.g1 and k[0] in ("overdue", "stranded_now", "leakage")}
    assert ("go_live_at_risk", world.g2, 2003) in kinds
    assert ("go_live_at_risk", world.g2, 2002) in kinds
    assert not {k for k in kinds if k[0] == "late_go_live" and k[1] == world.g2}


def test_queries_stay_constant_as_groups_grow(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as small:
        attention_items(world.today)
    for n in range(15):
        a, b = ItemFactory(), ItemFactory()
        group_id = link_add(item_id=a.pk, replace_item_id=b.pk).group_id
        group_update(group_id=group_id, status="active", start_date=world.day(-30), end_date=world.day(-1))
        ItemLocationFactory(item=a, location=world.locations[n % 3], on_hand_ea=n + 1)
        PoLineFactory(item=a, po_date=world.day(-1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        items = attention_items(world.today)
    assert sum(1 for i in items if i.kind == "overdue") == 16


@pytest.mark.parametrize("kind", ["leakage", "open_conflicts", "late_go_live", "replacement_stockout_risk"])
def test_a_single_kind_asks_only_for_its_figures(world, kind, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        items = attention_items(world.today, kinds=[kind])
    assert {i.kind for i in items} == {kind}

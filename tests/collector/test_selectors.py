"""Reads for the pages: the preview says what the link will do, item cards say where an item stands."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from collector import selectors, services
from collector.models import GroupAlert, ItemGroupMember
from plmtracker.inventory.models import Item
from tests.collector.conftest import link

N_ITEMS = 7
pairs = st.tuples(st.integers(0, N_ITEMS - 1), st.integers(0, N_ITEMS - 1)).filter(lambda p: p[0] != p[1])


def open_alert_items() -> set[int]:
    return set(GroupAlert.objects.filter(resolved_at__isnull=True).values_list("item_id", flat=True))


@pytest.mark.slow  # hypothesis draws many graphs
class PreviewAgreesWithTheResult(TestCase):
    """Whatever the graph, the preview of a link is what recording it then does."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(pairs, max_size=14), pairs, st.booleans())
    def test_preview_predicts_group_members_roles_merges_and_conflicts(self, history, new, keep_one):
        ids = [Item.objects.create(erp_item_code=f"P{n}").pk for n in range(N_ITEMS)]
        for a, b in history:
            with contextlib.suppress(services.ReverseLinkError):
                services.link_add(item_id=ids[a], replace_item_id=ids[b])
        if keep_one and GroupAlert.objects.filter(resolved_at__isnull=True).exists():
            services.alert_resolve(item_id=GroupAlert.objects.filter(resolved_at__isnull=True).first().item_id)
        item_id, replace_id = ids[new[0]], ids[new[1]]
        preview = selectors.link_preview(item_id, replace_id)
        alerts_before = open_alert_items()
        try:
            result = services.link_add(item_id=item_id, replace_item_id=replace_id)
        except services.ReverseLinkError as exc:
            assert (preview.status, preview.can_submit) == ("reverse", False)
            assert preview.warnings[0].message == exc.message
            return
        if preview.status == "existing":
            assert (result.created, result.group_id) == (False, preview.group_id)
        else:
            assert preview.status == "new" and result.created
            assert (preview.action, preview.merged_group_ids) == (result.action, result.merged_group_ids)
            if preview.action == "create":
                assert preview.group_id is None
            else:
                assert preview.group_id == result.group_id
        members = list(
            ItemGroupMember.objects.filter(group_id=result.group_id)
            .order_by("sequence")
            .values_list("item_id", "role", "sequence")
        )
        assert [(m.item_id, m.role, m.sequence) for m in preview.members] == members
        assert preview.member_count == len(members)
        assert {a["item_id"] for a in preview.alerts} == open_alert_items() - alerts_before


@pytest.mark.django_db
def test_an_item_card_lists_neighbours_both_ways_and_its_conflict(items):
    a, b, c, d = items[:4]
    group_id = link(a, b).group_id
    link(a, c)
    link(d, a)
    card = selectors.item_cards([a.pk])[a.pk]
    assert (card.group_id, card.role, card.group_status, card.member_count) == (group_id, "original", "draft", 4)
    assert [n.code for n in card.replaced_by] == ["A0001", "A0002"]
    assert [n.code for n in card.replaces] == ["A0003"]
    assert (card.alert["alert_type"], card.alert["degree_out"], card.alert["degree_in"]) == ("OUT_DEG_GT1", 2, 1)


@pytest.mark.django_db
def test_an_item_card_shows_the_first_neighbours_and_counts_them_all(monkeypatch, items):
    monkeypatch.setattr(selectors.cards, "NEIGHBOUR_LIMIT", 3)
    for other in items[1:]:
        link(items[0], other)
    card = selectors.item_cards([items[0].pk])[items[0].pk]
    assert (len(card.replaced_by), card.replaced_by_count) == (3, 9)


@pytest.mark.django_db
def test_the_preview_shows_the_first_members_of_a_large_group(monkeypatch, items):
    monkeypatch.setattr(selectors.preview, "PREVIEW_MEMBER_LIMIT", 4)
    for x, y in zip(items[:8], items[1:8], strict=False):
        link(x, y)
    preview = selectors.link_preview(items[7].pk, items[9].pk)
    assert (len(preview.members), preview.member_count, preview.hidden_members) == (4, 9, 5)


@pytest.mark.django_db
def test_an_inactive_item_is_flagged_in_the_preview(items):
    Item.objects.filter(pk=items[1].pk).update(active_flag=False)
    preview = selectors.link_preview(items[0].pk, items[1].pk)
    assert [w.code for w in preview.warnings] == ["inactive"]
    assert preview.can_submit


@pytest.mark.django_db
def test_merged_into_follows_later_merges(items, steward):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[2], items[3]).group_id
    g3 = link(items[4], items[5]).group_id
    services.group_merge(group_id=g3, target_group_id=g2)
    services.group_merge(group_id=g2, target_group_id=g1)
    assert selectors.merged_into(g3) == g1
    assert selectors.merged_into(g1) is None
    assert selectors.history_group_ids(g1) == sorted([g1, g2, g3])

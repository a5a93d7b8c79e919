"""Groups merged by hand, split and changed, with their audit rows."""

import pytest

from collector import services
from collector.models import ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from tests.collector.helpers import assert_invariant
from tests.collector.services.conftest import add, member

pytestmark = pytest.mark.django_db


def test_manual_merge_moves_everything_into_the_target(items, steward):
    a, b, c, d = items[:4]
    g1 = add(a, b).group_id
    g2 = add(c, d).group_id
    moved = services.group_merge(group_id=g1, target_group_id=g2, user=steward, reason="Same conversion")
    assert moved == 2
    assert not ItemGroup.objects.filter(pk=g1).exists()
    assert [m.item_id for m in ItemGroupMember.objects.filter(group_id=g2).order_by("sequence")] == [
        c.pk,
        d.pk,
        a.pk,
        b.pk,
    ]
    assert RelationAudit.objects.filter(action="group_merge", group_id=g2, reason="Same conversion").exists()
    with pytest.raises(services.GraphError, match="itself"):
        services.group_merge(group_id=g2, target_group_id=g2)
    with pytest.raises(services.NotFoundError):
        services.group_merge(group_id=g1, target_group_id=g2)


def test_split_moves_members_and_cuts_the_links_across(items, steward):
    a, b, c, d = items[:4]
    g = add(a, b).group_id
    add(b, c)
    add(c, d)
    assert services.split_preview(group_id=g, item_ids=[c.pk, d.pk]) == [(b.pk, c.pk)]
    result = services.group_split(group_id=g, item_ids=[c.pk, d.pk], user=steward, reason="Two conversions")
    assert result.cut_links == [(b.pk, c.pk)]
    assert member(c).group_id == member(d).group_id == result.new_group_id != g
    assert not ItemLink.objects.filter(item=b, replace_item=c).exists()
    assert ItemLink.objects.filter(item=c, replace_item=d).exists()
    assert_invariant()
    split = RelationAudit.objects.get(action="group_split")
    assert split.details["cut_links"] == [[b.pk, c.pk]]


@pytest.mark.parametrize(
    ("choose", "message"),
    [
        (lambda i: [], "at least one"),
        (lambda i: [i[0].pk, i[1].pk], "leave at least one"),
        (lambda i: [i[5].pk], "not members"),
    ],
)
def test_split_refuses_what_cannot_be_split(items, choose, message):
    g = add(items[0], items[1]).group_id
    with pytest.raises(services.GraphError, match=message):
        services.group_split(group_id=g, item_ids=choose(items))
    assert ItemGroup.objects.count() == 1 and ItemLink.objects.count() == 1


def test_group_update_validates_and_keeps_before_and_after(items, steward):
    from datetime import date

    g = add(items[0], items[1]).group_id
    before = ItemGroup.objects.get(pk=g).updated_at
    services.group_update(group_id=g, user=steward, status="active", owner=steward, start_date=date(2026, 1, 1))
    group = ItemGroup.objects.get(pk=g)
    assert (group.status, group.owner, group.start_date) == ("active", steward, date(2026, 1, 1))
    assert group.updated_at >= before
    audit = RelationAudit.objects.get(action="group_update")
    assert audit.details["changes"]["status"] == {"from": "draft", "to": "active"}
    with pytest.raises(services.GraphError, match="end date"):
        services.group_update(group_id=g, end_date=date(2025, 12, 31))
    with pytest.raises(services.GraphError, match="Status"):
        services.group_update(group_id=g, status="paused")
    assert ItemGroup.objects.get(pk=g).status == "active"

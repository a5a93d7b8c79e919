"""Links added and removed, one at a time and in batches: grouping, merging, their audit rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collector import services
from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from tests.collector.helpers import assert_invariant, open_alerts, partition, shape
from tests.collector.services.conftest import add, member
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_first_link_creates_a_draft_group_with_roles_and_sequence(items, planner):
    a, b = items[:2]
    result = add(a, b, user=planner, reason="Backorder")
    assert result.created and result.action == "create" and result.merged_group_ids == []
    group = ItemGroup.objects.get(pk=result.group_id)
    assert group.status == "draft"
    assert (member(a).group_id, member(a).role, member(a).sequence) == (group.pk, "original", 1)
    assert (member(b).group_id, member(b).role, member(b).sequence) == (group.pk, "replacement", 2)
    link = ItemLink.objects.get()
    assert (link.reason, link.created_by) == ("Backorder", planner)
    actions = list(RelationAudit.objects.order_by("audit_id").values_list("action", "user", "group_id", "reason"))
    assert actions == [
        ("group_create", planner.pk, group.pk, "Backorder"),
        ("link_add", planner.pk, group.pk, "Backorder"),
    ]


def test_adding_the_same_link_again_changes_nothing(items):
    a, b = items[:2]
    first = add(a, b)
    audit_rows = RelationAudit.objects.count()
    again = add(a, b, reason="again")
    assert (again.created, again.group_id, again.action) == (False, first.group_id, "existing")
    assert ItemLink.objects.count() == 1
    assert RelationAudit.objects.count() == audit_rows
    assert ItemLink.objects.get().reason is None


def test_attach_appends_with_the_role_of_its_side(items):
    a, b, c, d = items[:4]
    group_id = add(a, b).group_id
    assert add(b, c).action == "attach"  # c joins as a replacement
    assert add(d, a).action == "attach"  # d joins as an original
    assert [
        (m.item_id, m.role, m.sequence) for m in ItemGroupMember.objects.filter(group_id=group_id).order_by("sequence")
    ] == [
        (a.pk, "original", 1),
        (b.pk, "replacement", 2),
        (c.pk, "replacement", 3),
        (d.pk, "original", 4),
    ]
    # A later link does not change a role: b stays a replacement though it is now also replaced.
    assert member(b).role == "replacement"


def test_linking_two_groups_merges_into_the_smaller_id(items, planner):
    a, b, c, d, e = items[:5]
    g1 = add(a, b).group_id
    g2 = add(c, d).group_id
    add(e, d)
    assert g1 < g2
    result = add(b, c, user=planner)
    assert (result.action, result.group_id, result.merged_group_ids) == ("merge", g1, [g2])
    assert not ItemGroup.objects.filter(pk=g2).exists()
    # The loser's members follow the winner's, in their own order.
    assert [(m.item_id, m.sequence) for m in ItemGroupMember.objects.filter(group_id=g1).order_by("sequence")] == [
        (a.pk, 1),
        (b.pk, 2),
        (c.pk, 3),
        (d.pk, 4),
        (e.pk, 5),
    ]
    merge = RelationAudit.objects.get(action="group_merge")
    assert (merge.group_id, merge.details["loser_group_id"], merge.details["members_moved"]) == (g1, g2, 3)
    assert_invariant()


def test_a_link_inside_one_group_changes_no_membership(items):
    a, b, c = items[:3]
    add(a, b)
    add(b, c)
    result = add(a, c)
    assert result.action == "within"
    assert len(partition()) == 1


def test_the_exact_reverse_of_a_link_is_refused(items):
    a, b = items[:2]
    add(a, b)
    before = (ItemLink.objects.count(), RelationAudit.objects.count())
    with pytest.raises(services.ReverseLinkError) as caught:
        add(b, a)
    assert caught.value.status_code == 409
    assert a.erp_item_code in caught.value.message and b.erp_item_code in caught.value.message
    assert (ItemLink.objects.count(), RelationAudit.objects.count()) == before


def test_a_self_link_is_refused(items):
    with pytest.raises(services.SelfLinkError) as caught:
        add(items[0], items[0])
    assert caught.value.status_code == 400
    assert not ItemGroup.objects.exists()


def test_an_unknown_item_is_refused(items):
    with pytest.raises(services.NotFoundError):
        services.link_add(item_id=items[0].pk, replace_item_id=999_999)
    assert not ItemGroup.objects.exists() and not ItemLink.objects.exists()


def _two_groups(items, size):
    """Two groups of `size` members each, made as chains."""
    left, right = items[:size], items[size : 2 * size]
    for chain in (left, right):
        for x, y in zip(chain, chain[1:], strict=False):
            add(x, y)
    return left, right


def test_a_merge_costs_the_same_number_of_queries_for_small_and_large_groups():
    items = [ItemFactory() for _ in range(2 * 60 + 4)]
    small_l, small_r = _two_groups(items[:4], 2)
    big_l, big_r = _two_groups(items[4:], 60)
    with CaptureQueriesContext(connection) as small:
        add(small_l[-1], small_r[0])
    with CaptureQueriesContext(connection) as big:
        add(big_l[-1], big_r[0])
    assert len(big.captured_queries) == len(small.captured_queries)
    updates = [
        q["sql"] for q in big.captured_queries if q["sql"].startswith("UPDATE") and "item_group_member" in q["sql"]
    ]
    assert len(updates) == 1  # one set-based UPDATE moves all 60 members
    assert ItemGroupMember.objects.filter(group_id=member(big_l[0]).group_id).count() == 120
    assert_invariant()


def test_remove_link_says_when_the_group_falls_apart(items):
    a, b, c = items[:3]
    add(a, b)
    add(b, c)
    result = services.link_remove(item_id=b.pk, replace_item_id=c.pk, reason="Entered by mistake")
    assert result.components == 2
    assert len(partition()) == 1  # not split silently
    with pytest.raises(services.NotFoundError):
        services.link_remove(item_id=b.pk, replace_item_id=c.pk)
    assert RelationAudit.objects.get(action="link_remove").details["components_after"] == 2


LINKS = [(0, 1), (1, 2), (3, 4), (5, 4), (2, 3), (6, 7), (6, 8), (9, 6), (4, 0)]


def test_bulk_links_end_exactly_like_one_by_one(items):
    for a, b in LINKS:
        add(items[a], items[b])
    one_by_one = (shape(), open_alerts())
    ItemLink.objects.all().delete()
    ItemGroup.objects.all().delete()
    GroupAlert.objects.all().delete()

    result = services.links_add_bulk(pairs=[(items[a].pk, items[b].pk, None) for a, b in LINKS])
    assert (shape(), open_alerts()) == one_by_one
    assert result.new_count == len(LINKS)
    assert_invariant()


def test_bulk_dry_run_reports_and_writes_nothing(items):
    add(items[0], items[1])
    add(items[2], items[3])
    pairs = [
        (items[1].pk, items[2].pk, None),
        (items[0].pk, items[1].pk, None),
        (items[1].pk, items[0].pk, None),
        (items[5].pk, items[6].pk, "new"),
    ]
    counts = (ItemLink.objects.count(), ItemGroup.objects.count(), RelationAudit.objects.count())
    result = services.links_add_bulk(pairs=pairs, dry_run=True)
    assert (ItemLink.objects.count(), ItemGroup.objects.count(), RelationAudit.objects.count()) == counts
    assert [o.status for o in result.outcomes] == ["new", "existing", "reverse", "new"]
    assert (result.new_count, result.existing_count, result.reverse_count) == (2, 1, 1)
    g1, g2 = member(items[0]).group_id, member(items[2]).group_id
    assert result.merges == [{"loser_group_id": max(g1, g2), "winner_group_id": min(g1, g2)}]
    assert [sorted(g["item_ids"]) for g in result.created_groups] == [sorted([items[5].pk, items[6].pk])]


def test_bulk_result_lists_where_every_member_of_a_touched_group_ends(items):
    add(items[0], items[1])
    add(items[2], items[3])
    pairs = [(items[1].pk, items[2].pk, None), (items[5].pk, items[6].pk, None)]
    predicted = services.links_add_bulk(pairs=pairs, dry_run=True).members
    result = services.links_add_bulk(pairs=pairs)
    stored = {
        i: (g, r, s) for i, g, r, s in ItemGroupMember.objects.values_list("item_id", "group_id", "role", "sequence")
    }
    assert {i: (m.group_id, m.role, m.sequence) for i, m in result.members.items()} == stored
    # The dry run predicts the same places; a group yet to be made has the next free id.
    assert {i: (m.group_id, m.role, m.sequence) for i, m in predicted.items()} == stored

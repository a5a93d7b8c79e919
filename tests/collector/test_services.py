"""The collector's writes: grouping, merging, splitting, conflicts and their audit trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collector import services
from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from tests.collector.helpers import assert_invariant, expected_alerts, open_alerts, partition, shape
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    """Ten items; items[n].pk by position."""
    return [ItemFactory() for _ in range(10)]


def add(a, b, **kw):
    return services.link_add(item_id=a.pk, replace_item_id=b.pk, **kw)


def member(item):
    return ItemGroupMember.objects.get(item=item)


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


def test_conflicts_follow_the_degrees(items):
    a, b, c, d, x, y = items[:6]
    add(a, b)
    assert open_alerts() == {}
    add(a, c)
    assert open_alerts() == {a.pk: ("OUT_DEG_GT1", 2, 0)}
    add(a, d)
    add(x, a)
    add(y, a)
    assert open_alerts()[a.pk] == ("MANY_TO_MANY", 3, 2)
    assert GroupAlert.objects.filter(item=a).count() == 1  # kept current, not re-raised
    add(x, b)  # b now has two arriving links: a -> b and x -> b
    assert open_alerts()[b.pk] == ("IN_DEG_GT1", 0, 2)
    assert open_alerts() == expected_alerts()


def test_an_alert_closes_itself_when_the_degrees_drop(items):
    a, b, c = items[:3]
    add(a, b)
    add(a, c)
    services.link_remove(item_id=a.pk, replace_item_id=c.pk)
    alert = GroupAlert.objects.get(item=a)
    assert (alert.resolution, alert.resolved_at is not None, alert.resolved_by) == ("cleared", True, None)
    assert open_alerts() == {}


def test_keep_as_many_to_many_then_a_later_increase_raises_a_new_alert(items, steward):
    a, b, c, d = items[:4]
    add(a, b)
    add(a, c)
    kept = services.alert_resolve(item_id=a.pk, user=steward, reason="Both stay on contract")
    assert (kept.resolution, kept.resolved_by, kept.resolved_at is not None) == ("kept", steward, True)
    assert open_alerts() == {}
    services.link_remove(item_id=a.pk, replace_item_id=c.pk)
    add(a, c)  # back to what was kept: no new alert
    assert open_alerts() == {}
    add(a, d)  # beyond what was kept
    assert open_alerts() == {a.pk: ("OUT_DEG_GT1", 3, 0)}
    assert RelationAudit.objects.filter(action="alert_resolve", user=steward).count() == 1


def test_resolving_an_item_without_an_open_alert_is_not_found(items):
    with pytest.raises(services.NotFoundError):
        services.alert_resolve(item_id=items[0].pk)


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


def test_set_role_and_move_in_sequence(items, steward):
    a, b, c = items[:3]
    g = add(a, b).group_id
    add(b, c)
    services.member_set_role(item_id=b.pk, role=None, user=steward)
    assert member(b).role is None
    with pytest.raises(services.GraphError):
        services.member_set_role(item_id=b.pk, role="interim")
    services.member_move(item_id=c.pk, direction="up", user=steward)
    assert list(ItemGroupMember.objects.filter(group_id=g).order_by("sequence").values_list("item_id", flat=True)) == [
        a.pk,
        c.pk,
        b.pk,
    ]
    services.member_move(item_id=a.pk, direction="up")  # already first: nothing moves
    services.member_move(item_id=b.pk, direction="down")  # already last
    assert list(ItemGroupMember.objects.filter(group_id=g).order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
        3,
    ]
    assert RelationAudit.objects.filter(action="member_move").count() == 1
    with pytest.raises(services.NotFoundError):
        services.member_move(item_id=items[9].pk, direction="up")


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

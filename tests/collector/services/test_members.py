"""A member's role and place in the sequence."""

import pytest

from collector import services
from collector.models import ItemGroupMember, RelationAudit
from tests.collector.services.conftest import add, member

pytestmark = pytest.mark.django_db


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

"""Batches larger than one IN (...) list: the services split their queries, the results do not change."""

import pytest

from collector import services
from collector.integrity import check_graph
from collector.models import GroupAlert, ItemGroup, ItemLink
from plmtracker.ops import bulk
from tests.collector.helpers import assert_invariant, open_alerts, shape
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

LINKS = [(0, 1), (1, 2), (3, 4), (5, 4), (2, 3), (6, 7), (6, 8), (9, 6), (4, 0), (10, 11), (11, 6)]


@pytest.fixture
def items():
    return [ItemFactory() for _ in range(12)]


def test_bulk_with_tiny_in_lists_ends_like_one_by_one(items, monkeypatch):
    for a, b in LINKS:
        services.link_add(item_id=items[a].pk, replace_item_id=items[b].pk)
    one_by_one = (shape(), open_alerts())
    ItemLink.objects.all().delete()
    ItemGroup.objects.all().delete()
    GroupAlert.objects.all().delete()

    monkeypatch.setattr(bulk, "IN_CHUNK", 3)
    preview = services.links_add_bulk(pairs=[(items[a].pk, items[b].pk, None) for a, b in LINKS], dry_run=True)
    result = services.links_add_bulk(pairs=[(items[a].pk, items[b].pk, None) for a, b in LINKS])
    assert [o.status for o in preview.outcomes] == [o.status for o in result.outcomes]
    assert (shape(), open_alerts()) == one_by_one
    assert check_graph().ok


def test_split_with_tiny_in_lists_cuts_every_crossing_link(items, monkeypatch):
    monkeypatch.setattr(bulk, "IN_CHUNK", 2)
    hub = items[0]
    group_id = None
    for other in items[1:9]:
        group_id = services.link_add(item_id=hub.pk, replace_item_id=other.pk).group_id
    moving = [i.pk for i in items[1:9]]
    result = services.group_split(group_id=group_id, item_ids=moving, allow_alone=True)  # the hub stays alone
    assert len(result.cut_links) == 8
    assert not ItemLink.objects.exists()
    assert_invariant()
    assert open_alerts() == {}  # the hub's conflict closed with its links

"""`manage.py check_graph`: quiet on a sound graph, loud on a broken one."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from collector.integrity import check_graph
from collector.models import GroupAlert, ItemGroup, ItemGroupMember
from collector.services import link_add
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    items = [ItemFactory() for _ in range(5)]
    link_add(item_id=items[0].pk, replace_item_id=items[1].pk)
    link_add(item_id=items[0].pk, replace_item_id=items[2].pk)
    link_add(item_id=items[3].pk, replace_item_id=items[4].pk)
    return items


def test_a_graph_made_by_the_services_passes(items):
    report = check_graph()
    assert report.ok and report.links == 3
    out = StringIO()
    call_command("check_graph", stdout=out)
    assert "3 links checked" in out.getvalue() and "keeps its rules" in out.getvalue()


def test_a_link_across_groups_is_reported(items):
    # What a direct write past the services could do: move one end elsewhere.
    ItemGroupMember.objects.filter(item=items[2]).update(group=ItemGroup.objects.create())
    report = check_graph()
    assert report.crossing_links == [(items[0].pk, items[2].pk)]
    with pytest.raises(CommandError):
        call_command("check_graph", stdout=StringIO())


def test_a_missing_or_stale_alert_is_reported(items):
    GroupAlert.objects.filter(item=items[0]).delete()
    assert check_graph().alert_changes_due == {"raise": 1, "update": 0, "close": 0}
    GroupAlert.objects.create(item=items[3], alert_type="OUT_DEG_GT1", degree_out=2, degree_in=0)
    assert check_graph().alert_changes_due == {"raise": 1, "update": 0, "close": 1}


def test_an_end_without_a_group_is_reported(items):
    ItemGroupMember.objects.filter(item=items[4]).delete()
    assert check_graph().ungrouped_ends == [(items[3].pk, items[4].pk)]

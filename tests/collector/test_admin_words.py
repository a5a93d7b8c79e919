"""The admin speaks the pages' language: members as "code — description", conflicts open or resolved, dates Y-m-d."""

import re

import pytest

from collector import services
from collector.models import GroupAlert
from tests.collector.conftest import link

pytestmark = pytest.mark.django_db

CONFLICTS = "/admin/collector/groupalert/"


def test_group_members_read_code_dash_description(steward_client, items):
    g = link(items[7], items[8]).group_id
    page = steward_client.get(f"/admin/collector/itemgroup/{g}/change/").content.decode()
    assert "A0007 — GAUZE SPONGE 4X4 12PLY STERILE</a>" in page
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page)  # the member's added time and the history


def test_conflict_list_filters_open_and_resolved_in_words(steward_client, steward, items):
    link(items[0], items[1])
    link(items[0], items[2])  # A0000: open
    link(items[3], items[4])
    link(items[3], items[5])
    services.alert_resolve(item_id=items[3].pk, user=steward, reason="Both sizes stay")  # A0003: kept
    page = steward_client.get(CONFLICTS).content.decode()
    assert "?state=open" in page and "?state=resolved" in page
    assert "OUT_DEG_GT1" not in re.sub(r"<[^>]*>", " ", page)  # in links' addresses only, never shown
    assert ">Kept as many-to-many</td>" in page and ">Open</td>" in page
    kept = GroupAlert.objects.get(item=items[3])
    change = steward_client.get(f"{CONFLICTS}{kept.pk}/change/").content.decode()
    assert "Kept as many-to-many: replaced by 2, replaces 0" in change
    open_page = steward_client.get(CONFLICTS, {"state": "open"}).content.decode()
    assert "A0000" in open_page and "A0003" not in open_page
    resolved = steward_client.get(CONFLICTS, {"state": "resolved"}).content.decode()
    assert "A0003" in resolved and "A0000" not in resolved
    assert not re.search(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}", resolved)

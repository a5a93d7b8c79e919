"""Fixtures for the collector's pages and API: items with readable codes, clients that speak JSON."""

import json

import pytest
from django.test import Client

from collector import services
from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from tests.factories import ItemFactory

DESCRIPTIONS = [
    "GLOVE EXAM NITRILE PF MD BLUE",
    "GLOVE EXAM NITRILE PF MD VIOLET",
    "GLOVE EXAM NITRILE PF LG BLUE",
    "SYRINGE LUER LOCK 10ML",
    "SYRINGE LUER SLIP 10ML",
    "CATHETER IV 20G 1.16IN",
    "CATHETER IV 22G 1IN SAFETY",
    "GAUZE SPONGE 4X4 12PLY STERILE",
    "GAUZE SPONGE 4X4 8PLY NONSTERILE",
    "MASK PROCEDURE EARLOOP BLUE",
]


@pytest.fixture
def items(db):
    """Ten items, codes A0000..A0009; items[n] by position."""
    return [ItemFactory(erp_item_code=f"A{n:04d}", description=DESCRIPTIONS[n]) for n in range(10)]


def link(a, b, **kw):
    return services.link_add(item_id=a.pk, replace_item_id=b.pk, **kw)


class JsonClient:
    """A logged-in client that sends and asks for JSON."""

    def __init__(self, user) -> None:
        self.client = Client()
        self.client.force_login(user)

    def call(self, method: str, url: str, body=None, **params):
        headers = {"Accept": "application/json"}
        if method == "GET":
            return self.client.get(url, params, headers=headers)
        payload = json.dumps(body) if body is not None else ""
        return self.client.generic(method, url, payload, content_type="application/json", headers=headers)

    def get(self, url, **params):
        return self.call("GET", url, **params)

    def post(self, url, body=None):
        return self.call("POST", url, body)

    def delete(self, url, body=None):
        return self.call("DELETE", url, body)


@pytest.fixture
def planner_api(planner):
    return JsonClient(planner)


@pytest.fixture
def steward_api(steward):
    return JsonClient(steward)


def graph_counts() -> tuple[int, ...]:
    """Rows of every graph table: equal before and after means nothing was written."""
    return tuple(m.objects.count() for m in (ItemGroup, ItemGroupMember, ItemLink, GroupAlert, RelationAudit))


@pytest.fixture
def unchanged():
    """Use as `with unchanged():` around a call that must write nothing."""

    class Unchanged:
        def __enter__(self):
            self.before = graph_counts()
            self.alerts = list(GroupAlert.objects.values_list("alert_id", "resolved_at", "degree_out", "degree_in"))
            self.members = list(ItemGroupMember.objects.values_list("item_id", "group_id", "role", "sequence"))
            self.groups = list(
                ItemGroup.objects.values_list("group_id", "status", "owner_id", "start_date", "end_date")
            )

        def __exit__(self, *exc):
            assert graph_counts() == self.before
            assert list(GroupAlert.objects.values_list("alert_id", "resolved_at", "degree_out", "degree_in")) == (
                self.alerts
            )
            assert list(ItemGroupMember.objects.values_list("item_id", "group_id", "role", "sequence")) == self.members
            assert (
                list(ItemGroup.objects.values_list("group_id", "status", "owner_id", "start_date", "end_date"))
                == self.groups
            )

    return Unchanged

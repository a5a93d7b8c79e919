"""One number limits a links file, stewards exceed it with import_data, and a big group's pages stay small."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from collector import api, views
from collector.models import ItemGroup, ItemGroupMember, ItemLink
from plmtracker.inventory.models import Item
from plmtracker.ops.bulk import insert_rows
from tests.plmtracker.feeds.helpers import write_csv
from tests.plmtracker.feeds.test_admin import upload as admin_upload

# Groups of 10,000 members: out of the fast lane (scripts/test.sh --fast).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]
BIG = 10_000
HEADER = ["item", "replace", "reason"]


@pytest.fixture
def codes():
    insert_rows("items", ["erp_item_code", "active_flag"], ((f"L{n:05d}", True) for n in range(12)))
    return [f"L{n:05d}" for n in range(12)]


def links_csv(codes: list[str], count: int) -> str:
    return "item,replace,reason\n" + "".join(f"{codes[2 * n]},{codes[2 * n + 1]},\n" for n in range(count))


def test_the_links_limit_is_one_setting_everywhere(planner_client, steward_client, codes, settings, tmp_path):
    settings.PLM_BULK_MAX_LINKS = 4
    over = links_csv(codes, 5)
    page = planner_client.get(reverse("collector:bulk")).content.decode()
    assert "at most 4 links" in page
    refused = planner_client.post(reverse("collector:bulk"), {"file": SimpleUploadedFile("l.csv", over.encode())})
    assert refused.status_code == 400 and "A links file takes at most 4 links" in refused.content.decode()
    api_refused = planner_client.post(
        reverse("collector:api_bulk"), {"file": SimpleUploadedFile("l.csv", over.encode()), "dry_run": "true"}
    )
    assert api_refused.status_code == 400
    assert api_refused.json()["error"].startswith("A links file takes at most 4 links")
    path = tmp_path / "l.csv"
    path.write_text(over)
    admin = admin_upload(steward_client, "links", path)
    assert "A links file takes at most 4 links" in admin.content.decode()
    assert planner_client.post(
        reverse("collector:bulk"), {"file": SimpleUploadedFile("l.csv", links_csv(codes, 4).encode())}
    ).context["summary"]["new"] == (4)
    assert not ItemLink.objects.exists()


def test_stewards_exceed_the_limit_with_import_data(codes, settings, tmp_path):
    settings.PLM_BULK_MAX_LINKS = 2
    settings.PLM_IMPORT_MAX_LINKS = 5
    rows = [[codes[2 * n], codes[2 * n + 1], ""] for n in range(5)]
    out = io.StringIO()
    call_command("import_data", "links", str(write_csv(tmp_path / "l.csv", HEADER, rows)), stdout=out)
    assert ItemLink.objects.count() == 5
    rows.append([codes[10], codes[11], ""])
    with pytest.raises(Exception, match="at most 5 links"):
        call_command("import_data", "links", str(write_csv(tmp_path / "m.csv", HEADER, rows)), stdout=out)


def make_chain(count: int, prefix: str) -> int:
    """A group whose `count` members form one chain, inserted in bulk (the services would take seconds)."""
    insert_rows(
        "items",
        ["erp_item_code", "description", "active_flag"],
        ((f"{prefix}{n:06d}", "GLOVE", True) for n in range(count)),
    )
    ids = list(
        Item.objects.filter(erp_item_code__startswith=prefix).order_by("erp_item_code").values_list("pk", flat=True)
    )
    group = ItemGroup.objects.create(status="active")
    ItemGroupMember.objects.bulk_create(
        [
            ItemGroupMember(
                group=group, item_id=item_id, role="original" if n < count - 1 else "replacement", sequence=n + 1
            )
            for n, item_id in enumerate(ids)
        ],
        batch_size=2000,
    )
    ItemLink.objects.bulk_create(
        [ItemLink(item_id=a, replace_item_id=b) for a, b in zip(ids, ids[1:], strict=False)], batch_size=2000
    )
    return group.pk


@pytest.fixture
def groups():
    return make_chain(BIG, "BIG"), make_chain(views.SPLIT_LIST_LIMIT + 1, "SML")  # both too large to list whole


@pytest.mark.parametrize("who", ["planner_client", "steward_client"])
def test_a_10000_member_group_page_is_paged(request, groups, who, django_assert_max_num_queries):
    client = request.getfixturevalue(who)
    big, small = groups
    url = reverse("collector:group_detail", args=[big])
    client.get(reverse("collector:group_detail", args=[small]))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        client.get(reverse("collector:group_detail", args=[small]))
    with django_assert_max_num_queries(len(small_queries)):  # no more than for a group of 301
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 250_000  # 30 MB before the tables were paged
    assert page.count('id="member-') == views.MEMBERS_PAGE
    assert f"1–50 of {BIG:,} members" in page and f"1–50 of {BIG - 1:,} links" in page
    assert "more than the 150 a picture can show" in page and "<svg" not in page
    last = client.get(url, {"members_page": BIG // views.MEMBERS_PAGE}).content.decode()
    assert f"{BIG - 49:,}–{BIG:,} of {BIG:,} members" in last


def test_the_member_and_link_pages_swap_in(planner_client, groups, django_assert_max_num_queries):
    big, _ = groups
    with django_assert_max_num_queries(10):
        members = planner_client.get(reverse("collector:group_members", args=[big]), {"page": 3})
    text = members.content.decode()
    assert '<div id="members-table">' in text
    assert "101–150 of 10,000 members" in text and "<html" not in text
    links = planner_client.get(reverse("collector:group_links", args=[big]), {"page": "x"}).content.decode()
    assert "1–50 of 9,999 links" in links


def test_the_group_json_is_paged_with_counts(planner_client, groups):
    big, _ = groups
    url = reverse("collector:group_detail", args=[big])
    body = planner_client.get(url, headers={"Accept": "application/json"}).json()
    size = api.GROUP_JSON_PAGE
    assert (body["member_count"], body["link_count"], body["page"], body["page_size"]) == (BIG, BIG - 1, 1, size)
    assert body["pages"] == -(-BIG // size)
    assert len(body["members"]) == len(body["links"]) == size
    last = planner_client.get(url, {"page": 999}, headers={"Accept": "application/json"}).json()
    assert last["page"] == body["pages"]
    assert len(last["members"]) == BIG - (body["pages"] - 1) * size

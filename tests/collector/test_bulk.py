"""Bulk link upload: the page (preview, then commit) and POST /api/collect/bulk."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from collector.models import GroupAlert, ItemGroup, ItemLink, PendingUpload, RelationAudit
from collector.services import link_add
from tests.collector.helpers import assert_invariant
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("collector:bulk")
API = reverse("collector:api_bulk")


@pytest.fixture
def items():
    """Items 1000001..1000008; 1000005 -> 1000006 and 1000007 -> 1000008 are groups already."""
    made = {n: ItemFactory(erp_item_code=str(n)) for n in range(1000001, 1000009)}
    first = link_add(item_id=made[1000005].pk, replace_item_id=made[1000006].pk).group_id
    second = link_add(item_id=made[1000007].pk, replace_item_id=made[1000008].pk).group_id
    return {"items": made, "groups": (first, second)}


def csv_file(rows, name="links.csv", header="item,replace,reason"):
    text = "\n".join([header, *(",".join(r) for r in rows)]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


GOOD = [
    ["1000001", "1000002", "Discontinued"],  # a new group
    ["1000001", "1000003", ""],  # 1000001 now replaced by two: a conflict
    ["1000006", "1000007", "Contract"],  # joins the two existing groups: a merge
]
BAD = [
    ["1000001", "1000002", ""],
    ["1000009", "1000002", ""],  # unknown code
    ["1000003", "1000003", ""],  # self-link
    ["1000006", "1000005", ""],  # the reverse of an existing link
    ["1000001", "1000002", ""],  # a repeat of line 2
]


def test_page_shows_the_upload_form(planner_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = planner_client.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bulk link upload" in page and 'name="file"' in page
    assert "at most 5,000 links and 5.0\xa0MB" in page
    assert 'href="/collect/bulk"' in page  # the nav links the page


def test_preview_then_commit(planner_client, planner, items):
    first, second = items["groups"]
    preview = planner_client.post(PAGE, {"file": csv_file(GOOD)})
    assert preview.status_code == 200
    summary = preview.context["summary"]
    assert (summary["new"], summary["existing"], summary["invalid"]) == (3, 0, 0)
    assert summary["groups_created"] == [{"group_id": None, "items": ["1000001", "1000002", "1000003"]}]
    assert summary["merges"] == [{"group_id": second, "into_group_id": first}]
    assert [(c["item"], c["alert_type"]) for c in summary["conflicts"]] == [("1000001", "OUT_DEG_GT1")]
    page = preview.content.decode()
    assert "Groups that would be created" in page and f"Group {second} would merge into group {first}" in page
    assert "One item replaced by several" in page
    assert ItemLink.objects.count() == 2  # nothing saved yet
    token = preview.context["token"]
    kept = PendingUpload.objects.get(token=token)
    assert (kept.owner, kept.file_name, kept.file_format) == (planner, "links.csv", "csv")

    done = planner_client.post(PAGE, {"action": "commit", "token": token})
    assert done.status_code == 200
    assert "Added 3 links from links.csv" in done.content.decode()
    assert ItemLink.objects.count() == 5
    new_group = done.context["summary"]["groups_created"][0]["group_id"]
    assert set(ItemGroup.objects.values_list("group_id", flat=True)) == {first, new_group}
    assert GroupAlert.objects.filter(item__erp_item_code="1000001", resolved_at__isnull=True).exists()
    assert RelationAudit.objects.filter(action="link_add", user=planner, details__via="import").count() == 3
    assert_invariant()
    assert not PendingUpload.objects.exists()

    again = planner_client.post(PAGE, {"action": "commit", "token": token})
    assert again.status_code == 400
    assert "no longer here" in again.content.decode()
    assert ItemLink.objects.count() == 5


def test_bad_rows_are_listed_and_can_be_skipped(planner_client, items):
    preview = planner_client.post(PAGE, {"file": csv_file(BAD)})
    summary = preview.context["summary"]
    assert (summary["new"], summary["invalid"]) == (1, 4)
    reasons = {e["line"]: e["message"] for e in summary["errors"]}
    assert reasons == {
        3: "no item has the ERP code '1000009'",
        4: "is the same item as item; an item cannot replace itself",
        5: "is the reverse of a link: a link already records 1000005 replaced by 1000006, "
        "so each item would replace the other",
        6: "same item and replace as line 2",
    }
    page = preview.content.decode()
    assert "Add the 1 new link, skip 4 bad rows" in page
    done = planner_client.post(PAGE, {"action": "commit", "token": preview.context["token"], "skip_invalid": "1"})
    assert done.status_code == 200
    assert ItemLink.objects.filter(item__erp_item_code="1000001").count() == 1


def test_commit_without_skip_writes_nothing_when_rows_are_bad(planner_client, items):
    token = planner_client.post(PAGE, {"file": csv_file(BAD)}).context["token"]
    response = planner_client.post(PAGE, {"action": "commit", "token": token})
    assert response.status_code == 400
    assert ItemLink.objects.count() == 2


def test_a_token_from_elsewhere_is_refused(planner_client, steward_client, items):
    token = planner_client.post(PAGE, {"file": csv_file(GOOD)}).context["token"]
    response = steward_client.post(PAGE, {"action": "commit", "token": token})
    assert response.status_code == 400
    assert ItemLink.objects.count() == 2
    assert planner_client.post(PAGE, {"action": "commit", "token": token}).status_code == 200  # still the owner's


def test_an_expired_upload_is_purged_and_refused(planner_client, items):
    token = planner_client.post(PAGE, {"file": csv_file(GOOD)}).context["token"]
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = planner_client.post(PAGE, {"action": "commit", "token": token})
    assert response.status_code == 400
    assert "it expired after 60 minutes" in response.content.decode()
    assert not PendingUpload.objects.exists()
    assert ItemLink.objects.count() == 2


def test_a_new_preview_replaces_the_owners_earlier_one_and_the_command_purges(planner_client, steward, items):
    first = planner_client.post(PAGE, {"file": csv_file(GOOD)}).context["token"]
    second = planner_client.post(PAGE, {"file": csv_file(GOOD)}).context["token"]
    assert list(PendingUpload.objects.values_list("token", flat=True)) == [second]
    assert first != second
    PendingUpload.objects.create(
        token="old", owner=steward, file_name="x.csv", file_format="csv", content=b"", expires_at=timezone.now()
    )
    out = io.StringIO()
    call_command("purge_pending_uploads", stdout=out)
    assert out.getvalue() == "Deleted 1 expired pending upload.\n"
    assert list(PendingUpload.objects.values_list("token", flat=True)) == [second]


def test_xlsx_upload(planner_client, items):
    book = Workbook()
    book.active.append(["item", "replace", "reason"])
    book.active.append([1000001, 1000002, "Excel keeps codes as numbers"])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("links.xlsx", out.getvalue())
    preview = planner_client.post(PAGE, {"file": upload})
    assert preview.context["summary"]["new"] == 1


@pytest.mark.parametrize(
    ("upload", "status", "message"),
    [
        (None, 400, "This field is required."),
        (SimpleUploadedFile("links.txt", b"item,replace\n1,2\n"), 400, "neither a .csv nor an .xlsx file"),
        (SimpleUploadedFile("links.csv", b"item,reason\n1,x\n"), 400, "missing the column replace"),
        (SimpleUploadedFile("links.csv", b"item,replace,reason\n"), 400, "header row but no data rows"),
        (SimpleUploadedFile("links.csv", b"item,replace\n1000001,caf\xe9\n"), 400, "Line 2 is not UTF-8 text"),
    ],
)
def test_refused_files_say_why(planner_client, items, upload, status, message):
    response = planner_client.post(PAGE, {"file": upload} if upload else {})
    assert response.status_code == status
    assert message in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_the_size_limit(planner_client, items, settings):
    settings.PLM_BULK_UPLOAD_MAX_BYTES = 100
    rows = [["1000001", "1000002", "x" * 150]]
    response = planner_client.post(PAGE, {"file": csv_file(rows)})
    assert response.status_code == 413
    assert "bulk uploads take at most 100\xa0bytes. Split the links into smaller files." in response.content.decode()
    api = planner_client.post(API, {"file": csv_file(rows)})
    assert api.status_code == 413
    assert "at most 100\xa0bytes" in api.json()["error"]


def test_a_request_far_over_the_limit_is_refused(planner_client, settings):
    settings.PLM_BULK_UPLOAD_MAX_BYTES = 10
    response = planner_client.post(PAGE, {"file": csv_file([["a", "b", "c" * 70_000]])})
    assert response.status_code == 413


def test_htmx_gets_the_panel_only(planner_client, items):
    response = planner_client.post(PAGE, {"file": csv_file(GOOD)}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="bulk-preview"' in page


def test_api_dry_run_then_commit(planner_client, items):
    first, second = items["groups"]
    preview = planner_client.post(API, {"file": csv_file(GOOD), "dry_run": "true"})
    assert preview.status_code == 200
    body = preview.json()
    assert (body["dry_run"], body["written"], body["new"], body["existing"], body["invalid"]) == (True, False, 3, 0, 0)
    assert body["groups_created"] == [{"group_id": None, "items": ["1000001", "1000002", "1000003"]}]
    assert body["merges"] == [{"group_id": second, "into_group_id": first}]
    assert body["conflicts"] == [
        {
            "item": "1000001",
            "alert_type": "OUT_DEG_GT1",
            "label": "One item replaced by several",
            "degree_out": 2,
            "degree_in": 0,
        }
    ]
    assert ItemLink.objects.count() == 2

    done = planner_client.post(API, {"file": csv_file(GOOD)})
    assert done.status_code == 201
    assert done.json()["groups_created"][0]["group_id"] in ItemGroup.objects.values_list("group_id", flat=True)
    assert ItemLink.objects.count() == 5

    again = planner_client.post(API, {"file": csv_file(GOOD)})
    assert again.status_code == 200
    assert (again.json()["new"], again.json()["existing"]) == (0, 3)


def test_api_bad_rows(planner_client, items):
    response = planner_client.post(API, {"file": csv_file(BAD)})
    assert response.status_code == 400
    body = response.json()
    assert (
        body["error"] == "4 bad rows: nothing was written. Fix them, or send skip_invalid=true to add the good links."
    )
    assert [e["line"] for e in body["errors"]] == [3, 4, 5, 6]
    assert ItemLink.objects.count() == 2
    skipped = planner_client.post(API, {"file": csv_file(BAD), "skip_invalid": "true"})
    assert skipped.status_code == 201
    assert ItemLink.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a .csv or .xlsx file with the columns item, replace and reason."),
        ({"file": SimpleUploadedFile("l.json", b"{}")}, "neither a .csv nor an .xlsx file"),
        ({"file": SimpleUploadedFile("l.csv", b"item\n1\n")}, "missing the column replace"),
        ({"file": SimpleUploadedFile("l.csv", b"item,replace\n1,2\n"), "dry_run": "perhaps"}, "dry_run:"),
    ],
)
def test_api_refusals(planner_client, data, message):
    response = planner_client.post(API, data)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_api_schema_documents_the_upload():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/collect/bulk"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert set(operation["responses"]) == {"200", "201", "400", "401", "403", "413", "415"}
    assert "groups_created" in schema["components"]["schemas"]["BulkSummary"]["properties"]


def test_htmx_gets_a_refusal_in_the_panel(planner_client, items):
    upload = SimpleUploadedFile("links.csv", b"item,reason\n1,x\n")
    response = planner_client.post(PAGE, {"file": upload}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps 2xx only
    assert "missing the column replace" in response.content.decode()


def test_the_preview_shows_each_merge_of_existing_groups_side_by_side(planner_client, items):
    first, second = items["groups"]
    ItemGroup.objects.filter(pk=second).update(name="Second conversion", status="active")
    preview = planner_client.post(PAGE, {"file": csv_file(GOOD)})
    page = preview.content.decode()
    assert f'id="merge-comparison-1" data-loser="{second}" data-winner="{first}"' in page
    assert f"what group {second} loses (name, status)" in page
    assert f"Group {second}&#x27;s name and status are dropped." in page
    assert '<s>Second conversion</s> <span class="badge text-bg-danger">dropped</span>' in page
    # The commit's summary lists the merge without asking again.
    done = planner_client.post(PAGE, {"action": "commit", "token": preview.context["token"]}).content.decode()
    assert f"Group {second} merged into group {first}" in done and "merge-comparison" not in done

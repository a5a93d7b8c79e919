"""The collector's JSON API: answers, and every error with nothing written."""

import pytest
from django.test import Client
from django.urls import reverse

from collector.models import GroupAlert, ItemGroup, ItemGroupMember, ItemLink, RelationAudit
from tests.collector.conftest import link

pytestmark = pytest.mark.django_db

PREVIEW = "/api/collect/preview"
LINK = "/api/collect/link"


def group_url(group_id, action=""):
    return f"/groups/{group_id}" + (f"/{action}" if action else "")


# --------------------------------------------------------------------------
# Preview


def test_preview_of_a_merge_names_the_groups_members_and_the_conflict(planner_api, items):
    a, b, c, d, e = items[:5]
    g1 = link(a, b).group_id
    g2 = link(c, d).group_id
    link(a, e)  # a already has one replacement: b
    response = planner_api.get(PREVIEW, item=a.erp_item_code, replace=c.erp_item_code)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["action"], body["group_id"], body["merged_group_ids"]) == ("new", "merge", g1, [g2])
    assert body["can_submit"] is True
    assert body["member_count"] == 5
    assert [(m["code"], m["role"], m["change"]) for m in body["members"]] == [
        ("A0000", "original", ""),
        ("A0001", "replacement", ""),
        ("A0004", "replacement", ""),
        ("A0002", "original", f"moves from group {g2}"),
        ("A0003", "replacement", f"moves from group {g2}"),
    ]
    # a is replaced by two items already (an open alert); a third makes it grow, and c now replaces... nothing new.
    assert [w["code"] for w in body["warnings"]] == ["merge", "conflict_grows"]
    assert body["merge"] is True  # programs merge without a confirmation; the preview says so
    assert body["item"]["replaced_by"] == [
        {"item_id": b.pk, "code": "A0001", "description": b.description},
        {"item_id": e.pk, "code": "A0004", "description": e.description},
    ]
    assert body["item"]["alert"]["alert_type"] == "OUT_DEG_GT1"
    assert body["replace"]["group_id"] == g2
    assert (ItemLink.objects.count(), ItemGroup.objects.count()) == (3, 2)  # a preview writes nothing


def test_preview_warns_of_the_conflict_a_link_would_raise(planner_api, items):
    a, b, c = items[:3]
    link(a, b)
    body = planner_api.get(PREVIEW, item=a.erp_item_code, replace=c.erp_item_code).json()
    assert (body["action"], body["alerts"]) == (
        "attach",
        [{"item_id": a.pk, "item": "A0000", "alert_type": "OUT_DEG_GT1", "degree_out": 2, "degree_in": 0}],
    )
    assert [w["code"] for w in body["warnings"]] == ["conflict"]
    assert "A0000 would be replaced by 2" in body["warnings"][0]["message"]


def test_preview_of_a_new_group_has_no_group_id_yet(planner_api, items):
    body = planner_api.get(PREVIEW, item="A0000", replace="A0001").json()
    assert (body["action"], body["group_id"], body["member_count"]) == ("create", None, 2)
    assert [(m["code"], m["role"], m["change"]) for m in body["members"]] == [
        ("A0000", "original", "joins"),
        ("A0001", "replacement", "joins"),
    ]


@pytest.mark.parametrize(
    ("pair", "status", "warning", "can_submit"),
    [((0, 1), "existing", "existing", True), ((1, 0), "reverse", "reverse", False)],
)
def test_preview_of_an_existing_link_and_of_its_reverse(planner_api, items, pair, status, warning, can_submit):
    link(items[0], items[1])
    body = planner_api.get(PREVIEW, item=items[pair[0]].erp_item_code, replace=items[pair[1]].erp_item_code).json()
    assert (body["status"], body["warnings"][0]["code"], body["can_submit"]) == (status, warning, can_submit)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"item": "A0000"}, 400, "replace: This field is required."),
        ({}, 400, "item: This field is required."),
        ({"item": "A0000", "replace": "A0000"}, 400, "cannot replace itself"),
        ({"item": "A0000", "replace": "NOPE-1"}, 404, "No item has the ERP code 'NOPE-1'."),
    ],
)
def test_preview_errors(planner_api, items, params, status, message):
    response = planner_api.get(PREVIEW, **params)
    assert response.status_code == status
    assert message in response.json()["error"]


# --------------------------------------------------------------------------
# Record a link


def test_a_new_link_answers_201_with_the_group(planner_api, planner, items):
    response = planner_api.post(LINK, {"item": "A0000", "replace": "A0001", "reason": "Backorder"})
    assert response.status_code == 201
    body = response.json()
    group_id = ItemGroupMember.objects.get(item=items[0]).group_id
    assert body == {
        "group_id": group_id,
        "created": True,
        "action": "create",
        "merged_group_ids": [],
        "alerts": [],
        "ratio": "1",
        "ratio_updated": False,
    }
    saved = ItemLink.objects.get()
    assert (saved.item, saved.replace_item, saved.reason, saved.created_by) == (
        items[0],
        items[1],
        "Backorder",
        planner,
    )


def test_a_link_that_merges_reports_the_merged_group_and_the_alerts(planner_api, items):
    a, b, c, d = items[:4]
    g1 = link(a, b).group_id
    g2 = link(c, d).group_id
    body = planner_api.post(LINK, {"item": "A0000", "replace": "A0003", "confirm_merge": True}).json()
    assert (body["group_id"], body["merged_group_ids"], body["action"]) == (g1, [g2], "merge")
    assert [(x["item_id"], x["alert_type"]) for x in body["alerts"]] == [(a.pk, "OUT_DEG_GT1"), (d.pk, "IN_DEG_GT1")]


def test_an_existing_link_answers_200_created_false(planner_api, items, unchanged):
    group_id = link(items[0], items[1]).group_id
    with unchanged():
        response = planner_api.post(LINK, {"item": "A0000", "replace": "A0001", "reason": "again"})
    assert response.status_code == 200
    assert response.json() == {
        "group_id": group_id,
        "created": False,
        "action": "existing",
        "merged_group_ids": [],
        "alerts": [],
        "ratio": "1",
        "ratio_updated": False,
    }


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"replace": "A0001"}, 400, "item: This field is required."),
        ({"item": "A0000"}, 400, "replace: This field is required."),
        ({"item": "A0000", "replace": "A0001", "reason": "x" * 201}, 400, "reason: Ensure this field has no more"),
        ({"item": "A0002", "replace": "A0002"}, 400, "An item cannot replace itself"),
        ({"item": "A0002", "replace": "ZZ-404"}, 404, "No item has the ERP code 'ZZ-404'."),
        ({"item": "ZZ-404", "replace": "A0002"}, 404, "No item has the ERP code 'ZZ-404'."),
        ({"item": "A0001", "replace": "A0000"}, 409, "A0000 is already recorded as replaced by A0001"),
    ],
)
def test_link_errors_write_nothing(planner_api, items, unchanged, body, status, message):
    link(items[0], items[1])
    with unchanged():
        response = planner_api.post(LINK, body)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert set(response.json()) == {"error"}


def test_a_body_that_is_not_json_is_a_400(planner_api, items):
    response = planner_api.client.post(LINK, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["error"]


# --------------------------------------------------------------------------
# Groups


def test_groups_answer_json_with_counts_filters_and_pages(planner_api, steward, items):
    g1 = link(items[0], items[1]).group_id
    link(items[0], items[2])  # an open conflict in g1
    g2 = link(items[3], items[4]).group_id
    ItemGroup.objects.filter(pk=g2).update(status="active", owner=steward)
    body = planner_api.get("/groups", sort="group_id").json()
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    assert [(g["group_id"], g["member_count"], g["conflict_count"]) for g in body["results"]] == [
        (g1, 3, 1),
        (g2, 2, 0),
    ]
    active = planner_api.get("/groups", status="active").json()
    assert [(g["group_id"], g["owner"]) for g in active["results"]] == [(g2, steward.email)]
    found = planner_api.get("/groups", q="syringe").json()  # items[3] is a syringe
    assert [g["group_id"] for g in found["results"]] == [g2]


@pytest.mark.parametrize(
    ("params", "message"), [({"updated_since": "yesterday"}, "updated_since"), ({"status": "paused"}, "status")]
)
def test_groups_json_refuses_bad_filters(planner_api, params, message):
    response = planner_api.get("/groups", **params)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_steward_creates_an_empty_group(steward_api, steward):
    response = steward_api.post("/groups", {"status": "active", "reason": "Contract change", "owner": steward.email})
    assert response.status_code == 201
    group = ItemGroup.objects.get(pk=response.json()["group_id"])
    assert (group.status, group.reason, group.owner) == ("active", "Contract change", steward)
    assert response.json()["member_count"] == 0
    assert RelationAudit.objects.get(action="group_create").group_id == group.pk


def test_steward_creates_a_group_with_its_plan(steward_api):
    body = {
        "name": " Exam gloves ",
        "use_up_policy": "immediate",
        "start_date": "2026-12-01",
        "last_order_date": "2026-11-15",
    }
    response = steward_api.post("/groups", body)
    assert response.status_code == 201
    group = ItemGroup.objects.get(pk=response.json()["group_id"])
    assert (group.name, group.use_up_policy, str(group.last_order_date)) == ("Exam gloves", "immediate", "2026-11-15")
    assert response.json()["title"] == "Exam gloves"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": "paused"}, "status:"),
        ({"start_date": "2026-05-01", "last_order_date": "2024-01-01"}, "more than a year before the start date"),
        ({"owner": "nobody@example.org"}, "owner:"),
        ({"start_date": "2026-05-01", "end_date": "2026-04-01"}, "The end date must be on or after the start date."),
        ({"start_date": "01/05/2026"}, "start_date:"),
    ],
)
def test_group_create_errors_write_nothing(steward_api, unchanged, body, message):
    with unchanged():
        response = steward_api.post("/groups", body)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_group_in_json_lists_members_links_and_pieces(planner_api, items):
    a, b, c = items[:3]
    g = link(a, b).group_id
    link(a, c)
    body = planner_api.get(group_url(g)).json()
    assert (body["group_id"], body["member_count"], body["conflict_count"], body["pieces"]) == (g, 3, 1, 1)
    assert [(m["code"], m["role"], m["sequence"], m["alert_type"]) for m in body["members"]] == [
        ("A0000", "original", 1, "OUT_DEG_GT1"),
        ("A0001", "replacement", 2, None),
        ("A0002", "replacement", 3, None),
    ]
    assert [(x["item"], x["replace"]) for x in body["links"]] == [("A0000", "A0001"), ("A0000", "A0002")]


def test_an_unknown_or_merged_group_is_404(planner_api, steward, items):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[2], items[3]).group_id
    link(items[1], items[2])  # merges g2 into g1
    assert planner_api.get(group_url(999)).json() == {"error": "Group 999 does not exist."}
    response = planner_api.get(group_url(g2))
    assert (response.status_code, response.json()) == (
        404,
        {"error": f"Group {g2} was merged into group {g1}.", "merged_into": g1},
    )


# --------------------------------------------------------------------------
# Steward actions


def test_merge(steward_api, steward, items):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[2], items[3]).group_id
    response = steward_api.post(group_url(g1, "merge"), {"target_group_id": g2, "reason": "Same conversion"})
    assert response.status_code == 200
    assert response.json() == {"group_id": g2, "merged_group_ids": [g1], "members_moved": 2}
    assert set(ItemGroupMember.objects.values_list("group_id", flat=True)) == {g2}
    assert RelationAudit.objects.get(action="group_merge").reason == "Same conversion"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({}, 400, "target_group_id: This field is required."),
        ({"target_group_id": "seven"}, 400, "target_group_id: A valid integer is required."),
        ({"target_group_id": "self"}, 400, "cannot be merged into itself"),
        ({"target_group_id": 999}, 404, "Group 999 does not exist"),
    ],
)
def test_merge_errors_write_nothing(steward_api, items, unchanged, body, status, message):
    g1 = link(items[0], items[1]).group_id
    link(items[2], items[3])
    if body.get("target_group_id") == "self":
        body = {"target_group_id": g1}
    with unchanged():
        response = steward_api.post(group_url(g1, "merge"), body)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_merge_of_an_unknown_group_is_404(steward_api, items, unchanged):
    g1 = link(items[0], items[1]).group_id
    with unchanged():
        response = steward_api.post(group_url(999, "merge"), {"target_group_id": g1})
    assert (response.status_code, response.json()["error"]) == (
        404,
        "Group 999 does not exist (it may have been merged into another group).",
    )


def test_split_preview_and_split(steward_api, items):
    a, b, c, d = items[:4]
    g = link(a, b).group_id
    link(b, c)
    link(c, d)
    preview = steward_api.get(group_url(g, "split"), item_ids=[c.pk, d.pk])
    assert preview.json() == {
        "group_id": g,
        "item_ids": [c.pk, d.pk],
        "cut_links": [{"item_id": b.pk, "replace_item_id": c.pk}],
        "staying_item_ids": [a.pk, b.pk],
        "alone_item_ids": [],
    }
    assert ItemLink.objects.count() == 3
    response = steward_api.post(group_url(g, "split"), {"item_ids": [c.pk, d.pk], "reason": "Two conversions"})
    assert response.status_code == 201
    body = response.json()
    assert (body["group_id"], body["moved_item_ids"], body["cut_links"]) == (
        g,
        [c.pk, d.pk],
        [{"item_id": b.pk, "replace_item_id": c.pk}],
    )
    assert ItemGroupMember.objects.get(item=d).group_id == body["new_group_id"]


@pytest.mark.parametrize(
    ("choose", "status", "message"),
    [
        (lambda i: {}, 400, "item_ids: This field is required."),
        (lambda i: {"item_ids": []}, 400, "Choose at least one member"),
        (lambda i: {"item_ids": [i[0].pk, i[1].pk]}, 400, "leave at least one member"),
        (lambda i: {"item_ids": [i[7].pk]}, 400, "are not members of group"),
        (lambda i: {"item_ids": ["x"]}, 400, "item_ids: 0: A valid integer is required."),
    ],
)
def test_split_errors_write_nothing(steward_api, items, unchanged, choose, status, message):
    g = link(items[0], items[1]).group_id
    with unchanged():
        response = steward_api.post(group_url(g, "split"), choose(items))
    assert response.status_code == status
    assert message in response.json()["error"]


def test_split_of_an_unknown_group_is_404(steward_api, items):
    response = steward_api.post(group_url(999, "split"), {"item_ids": [items[0].pk]})
    assert response.status_code == 404
    assert steward_api.get(group_url(999, "split"), item_ids=[1]).status_code == 404


def test_remove_a_link_says_when_a_split_is_suggested(steward_api, items):
    a, b, c = items[:3]
    g = link(a, b).group_id
    link(b, c)
    response = steward_api.delete(f"/links/{b.pk}/{c.pk}", {"reason": "Entered by mistake"})
    assert response.status_code == 200
    assert response.json() == {"group_id": g, "components": 2, "split_suggested": True}
    assert not ItemLink.objects.filter(item=b, replace_item=c).exists()
    assert RelationAudit.objects.get(action="link_remove").reason == "Entered by mistake"
    again = steward_api.delete(f"/links/{b.pk}/{c.pk}")
    assert (again.status_code, again.json()["error"]) == (404, f"There is no link from item {b.pk} to item {c.pk}.")


def test_keep_a_conflict_as_many_to_many(steward_api, steward, items):
    a, b, c = items[:3]
    link(a, b)
    link(a, c)
    response = steward_api.post(f"/conflicts/{a.pk}/resolve", {"reason": "Both on contract"})
    assert response.status_code == 200
    body = response.json()
    assert (body["item_id"], body["alert_type"], body["resolution"], body["resolved_by"]) == (
        a.pk,
        "OUT_DEG_GT1",
        "kept",
        steward.email,
    )
    assert body["resolved_at"]
    assert not GroupAlert.objects.filter(resolved_at__isnull=True).exists()
    again = steward_api.post(f"/conflicts/{a.pk}/resolve")
    assert (again.status_code, again.json()["error"]) == (404, f"Item {a.pk} has no open conflict.")


def test_role_and_sequence(steward_api, items):
    a, b, c = items[:3]
    g = link(a, b).group_id
    link(b, c)
    response = steward_api.post(f"/members/{c.pk}/role", {"role": "original"})
    assert response.json() == {"item_id": c.pk, "group_id": g, "role": "original", "sequence": 3}
    assert steward_api.post(f"/members/{c.pk}/role", {"role": ""}).json()["role"] is None
    moved = steward_api.post(f"/members/{c.pk}/move", {"direction": "up"}).json()
    assert moved["sequence"] == 2
    assert list(ItemGroupMember.objects.order_by("sequence").values_list("item_id", flat=True)) == [a.pk, c.pk, b.pk]


@pytest.mark.parametrize(
    ("url", "body", "status", "message"),
    [
        ("/members/{a}/role", {"role": "interim"}, 400, "role:"),
        ("/members/{a}/role", {}, 400, "role: This field is required."),
        ("/members/{x}/role", {"role": "original"}, 404, "is not a member of any group"),
        ("/members/{a}/move", {"direction": "sideways"}, 400, "direction:"),
        ("/members/{x}/move", {"direction": "up"}, 404, "is not a member of any group"),
        ("/conflicts/{x}/resolve", {}, 404, "has no open conflict"),
        ("/links/{a}/{x}", None, 404, "There is no link"),
    ],
)
def test_member_link_and_conflict_errors_write_nothing(steward_api, items, unchanged, url, body, status, message):
    link(items[0], items[1])
    url = url.format(a=items[0].pk, x=items[9].pk)
    with unchanged():
        response = steward_api.delete(url) if url.startswith("/links") else steward_api.post(url, body)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_group_settings(steward_api, steward, items):
    g = link(items[0], items[1]).group_id
    response = steward_api.post(
        group_url(g, "settings"),
        {"status": "active", "owner": steward.email, "start_date": "2026-01-05", "change_reason": "Go live"},
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["owner"], response.json()["start_date"]) == (
        "active",
        steward.email,
        "2026-01-05",
    )
    audit = RelationAudit.objects.get(action="group_update")
    assert (audit.reason, audit.details["changes"]["status"]) == ("Go live", {"from": "draft", "to": "active"})
    bad = steward_api.post(group_url(g, "settings"), {"end_date": "2025-12-31"})
    assert (bad.status_code, bad.json()["error"]) == (400, "The end date must be on or after the start date.")
    assert ItemGroup.objects.get(pk=g).end_date is None


STEWARD_ONLY = [
    ("POST", "/groups", {"status": "draft"}),
    ("POST", "/groups/{g}/settings", {"status": "active"}),
    ("POST", "/groups/{g}/merge", {"target_group_id": "{h}"}),
    ("POST", "/groups/{g}/split", {"item_ids": ["{c}"]}),
    ("GET", "/groups/{g}/split?item_ids={c}", None),
    ("DELETE", "/links/{a}/{b}", None),
    ("POST", "/conflicts/{a}/resolve", {}),
    ("POST", "/members/{b}/role", {"role": "original"}),
    ("POST", "/members/{b}/move", {"direction": "up"}),
]


@pytest.mark.parametrize(("method", "url", "body"), STEWARD_ONLY)
def test_planners_get_403_and_nothing_is_written(planner_api, items, unchanged, method, url, body):
    a, b, c = items[:3]
    g = link(a, b).group_id
    link(a, c)
    h = link(items[3], items[4]).group_id
    values = {"g": g, "h": h, "a": a.pk, "b": b.pk, "c": c.pk}
    url = url.format(**values)
    if body:
        body = {
            k: ([int(v[0].format(**values))] if isinstance(v, list) else v.format(**values)) for k, v in body.items()
        }
    if method == "GET":
        # Reading a split preview is harmless: planners may look at it.
        assert planner_api.client.get(url, headers={"Accept": "application/json"}).status_code == 200
        return
    with unchanged():
        response = planner_api.call(method, url, body)
    assert response.status_code == 403
    assert response.json() == {"error": "This action is for data stewards; ask an admin for the steward role."}


def test_the_openapi_schema_describes_bodies_and_errors():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    link_post = paths["/api/collect/link"]["post"]
    # 403: the CSRF check; 415: a body of another media type (plmtracker.web.api.document_error_statuses).
    assert set(link_post["responses"]) == {"200", "201", "400", "401", "403", "404", "409", "415"}
    error_ref = link_post["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert schema["components"]["schemas"][error_ref.rsplit("/", 1)[1]]["required"] == ["error"]
    assert "item" in schema["components"]["schemas"]["LinkRequest"]["properties"]
    merge = paths["/api/groups/{group_id}/merge"]["post"]
    assert set(merge["responses"]) == {"200", "400", "401", "403", "404", "415"}
    assert "delete" in paths["/api/links/{item_id}/{replace_item_id}"]
    assert "post" not in paths["/api/links/{item_id}/{replace_item_id}"]  # the form's POST is the pages' affair
    assert {"get", "post"} <= set(paths["/api/groups"])
    # The pages' addresses answer JSON for one more release but are listed at their /api/ twin only.
    assert not {"/groups", "/groups/{group_id}", "/groups/{group_id}/merge"} & set(paths)
    assert reverse("collector:api_preview") in paths


def test_api_addresses_answer_json_whatever_the_client_asks(steward, items):
    g1 = link(items[0], items[1]).group_id
    g2 = link(items[2], items[3]).group_id
    browser = Client()
    browser.force_login(steward)
    response = browser.get(f"/api/groups/{g1}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["member_count"] == 2 and "Deprecation" not in response
    # A form post: the JSON answer, not a redirect with a message.
    refused = browser.post(f"/api/groups/{g1}/merge", {"target_group_id": 999_999})
    assert refused.status_code == 404 and "Group 999999 does not exist" in refused.json()["error"]
    merged = browser.post(f"/api/groups/{g1}/merge", {"target_group_id": g2})
    assert merged.status_code == 200 and merged.json()["members_moved"] == 2


def test_page_addresses_still_answer_json_clients_for_one_release(planner_api, steward, items):
    group_id = link(items[0], items[1]).group_id
    response = planner_api.get(f"/groups/{group_id}")
    assert response.status_code == 200 and response.json()["member_count"] == 2
    assert response["Deprecation"] == "true"
    assert response["Link"] == f'</api/groups/{group_id}>; rel="successor-version"'
    page = Client()
    page.force_login(steward)
    html = page.get(f"/groups/{group_id}")
    assert html.status_code == 200 and "Deprecation" not in html and html["Content-Type"].startswith("text/html")

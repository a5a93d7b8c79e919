"""Where people set the plan: the ratio on /collect, the plan panel, the go-live table and the JSON API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from collector import plans
from collector.models import GroupLocationPlan, ItemGroup, ItemLink, RelationAudit
from tests.collector.conftest import link
from tests.factories import ItemLocationFactory, LocationFactory

LINK = "/api/collect/link"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def stocked(items):
    """A group of items[0] -> items[1], stocked at two locations; a third location nobody stocks."""
    group_id = link(items[0], items[1]).group_id
    places = [LocationFactory(location_id=2010 + n, location_name=f"PAR {n} WEST") for n in range(3)]
    ItemLocationFactory(item=items[0], location=places[0], on_hand_ea=12)
    ItemLocationFactory(item=items[1], location=places[1], on_hand_ea=0)
    return group_id, places


# --------------------------------------------------------------------------
# The ratio where links are recorded


def test_collect_post_records_the_ratio(planner_client, items):
    response = planner_client.post("/collect", {"item": items[0].pk, "replace": items[1].pk, "ratio": "0.5"})
    assert response.status_code == 302
    assert ItemLink.objects.get().ratio == Decimal("0.5")


@pytest.mark.parametrize(("ratio", "words"), [("0", "more than 0"), ("-2", "more than 0"), ("abc", "a number")])
def test_collect_post_refuses_a_bad_ratio(planner_client, items, unchanged, ratio, words):
    with unchanged():
        response = planner_client.post("/collect", {"item": items[0].pk, "replace": items[1].pk, "ratio": ratio})
    assert response.status_code == 400
    assert words in response.content.decode()


def test_the_preview_shows_the_ratio_and_a_ratio_change(planner_client, items):
    response = planner_client.get("/collect/preview", {"item": items[0].pk, "replace": items[1].pk, "ratio": "0.5"})
    page = response.content.decode()
    assert 'data-ratio="0.5"' in page and "is replaced by 0.5 each of" in page
    link(items[0], items[1])
    page = planner_client.get(
        "/collect/preview", {"item": items[0].pk, "replace": items[1].pk, "ratio": "2"}
    ).content.decode()
    assert 'data-warning="ratio_change"' in page and "changes the ratio to 2" in page


def test_api_link_takes_a_ratio_and_updates_it_on_a_second_call(planner_api, items):
    first = planner_api.post(LINK, {"item": "A0000", "replace": "A0001", "ratio": "0.5"})
    assert first.status_code == 201 and first.json()["ratio"] == "0.5"
    again = planner_api.post(LINK, {"item": "A0000", "replace": "A0001", "ratio": 2})
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["ratio_updated"], again.json()["ratio"]) == (False, True, "2")
    assert RelationAudit.objects.filter(action="link_ratio").count() == 1
    preview = planner_api.get("/api/collect/preview", item="A0000", replace="A0001", ratio="3")
    assert preview.json()["ratio"] == "3"


def test_the_largest_ratio_reads_back_on_every_database(planner_api, items):
    response = planner_api.post(LINK, {"item": "A0000", "replace": "A0001", "ratio": "999999999.999999"})
    assert response.status_code == 201
    assert ItemLink.objects.get().ratio == Decimal("999999999.999999")
    assert planner_api.get(f"/groups/{response.json()['group_id']}").status_code == 200


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (0, "more than 0"),
        ("-1", "more than 0"),
        ("abc", "valid number"),
        ("1.1234567", "6 decimal places"),
        # Fits the column's 18 digits but not the 15 a double keeps exactly (SQLite): it could not be read back.
        ("999999999999.999999", "15 digits"),
    ],
)
def test_api_link_refuses_a_bad_ratio_with_the_reason(planner_api, items, unchanged, ratio, words):
    with unchanged():
        response = planner_api.post(LINK, {"item": "A0000", "replace": "A0001", "ratio": ratio})
    assert response.status_code == 400
    assert "ratio" in response.json()["error"] and words in response.json()["error"]


# --------------------------------------------------------------------------
# The plan panel


def test_stewards_get_the_plan_form_planners_read_it(steward_client, planner_client, stocked):
    group_id, _ = stocked
    plans.group_plan_update(group_id=group_id, name="Nitrile gloves", last_order_date=date(2026, 12, 1))
    steward_page = steward_client.get(f"/groups/{group_id}").content.decode()
    assert 'id="plan-form"' in steward_page and 'name="use_up_policy"' in steward_page
    assert "<title>Nitrile gloves (group" in steward_page
    planner_page = planner_client.get(f"/groups/{group_id}").content.decode()
    assert 'id="plan-form"' not in planner_page and "2026-12-01" in planner_page
    assert 'name="go_live_date"' not in planner_page  # the go-live table is read-only


def test_the_plan_form_saves_and_audits(steward_client, stocked):
    group_id, _ = stocked
    data = {
        "name": "Gloves to one SKU",
        "use_up_policy": "use_until_end",
        "start_date": "2026-11-01",
        "last_order_date": "2026-11-20",
        "end_date": "2027-02-01",
        "reason": "VAC",
    }
    response = steward_client.post(f"/groups/{group_id}/plan", data)
    assert response.status_code == 302
    group = ItemGroup.objects.get(pk=group_id)
    assert (group.name, group.use_up_policy, str(group.last_order_date)) == (
        "Gloves to one SKU",
        "use_until_end",
        "2026-11-20",
    )
    assert RelationAudit.objects.get(action="plan_update").reason == "VAC"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"start_date": "2026-12-01", "end_date": "2026-11-01"}, "end date must be on or after"),
        ({"end_date": "2026-12-01", "last_order_date": "2026-12-05"}, "on or before the end date"),
        ({"use_up_policy": "burn"}, "use_up_policy"),
        ({"last_order_date": "2026-13-01"}, "last_order_date"),
    ],
)
def test_the_plan_api_refuses_bad_plans(steward_api, stocked, unchanged, data, words):
    group_id, _ = stocked
    with unchanged():
        response = steward_api.post(f"/groups/{group_id}/plan", data)
    assert response.status_code == 400 and words in response.json()["error"]


def test_group_json_and_settings_carry_the_plan_fields(steward_api, stocked):
    group_id, _ = stocked
    response = steward_api.post(
        f"/groups/{group_id}/settings", {"name": "Gloves", "use_up_policy": "immediate", "last_order_date": None}
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["title"], response.json()["use_up_policy"]) == (
        "Gloves",
        "Gloves",
        "immediate",
    )
    body = steward_api.get(f"/groups/{group_id}").json()
    assert (body["name"], body["use_up_policy"], body["last_order_date"]) == ("Gloves", "immediate", None)


def test_the_groups_list_finds_a_group_by_its_name_and_shows_it(planner_client, planner_api, stocked, items):
    group_id, _ = stocked
    other = link(items[3], items[4]).group_id
    plans.group_plan_update(group_id=group_id, name="Exam gloves standardisation")
    found = planner_api.get("/groups", q="standardisation").json()["results"]
    assert [g["group_id"] for g in found] == [group_id]
    titles = {g["group_id"]: g["title"] for g in planner_api.get("/groups").json()["results"]}
    assert titles[other] == "SYRINGE LUER LOCK 10ML -> SYRINGE LUER SLIP 10ML"
    assert "Exam gloves standardisation" in planner_client.get("/groups").content.decode()


# --------------------------------------------------------------------------
# The go-live table


def test_the_table_lists_stocked_locations_and_planned_ones(steward_client, stocked):
    group_id, places = stocked
    plans.location_plan_set(group_id=group_id, location_id=places[2].pk, go_live_date=date(2027, 1, 4))
    page = steward_client.get(f"/groups/{group_id}").content.decode()
    for place in places:
        assert f'id="location-{place.pk}"' in page
    assert "not stocked" in page  # the planned location nobody stocks says so


def test_an_inline_save_swaps_the_row_and_audits(steward_client, stocked):
    group_id, places = stocked
    url = f"/groups/{group_id}/locations/{places[0].pk}"
    response = steward_client.post(url, {"go_live_date": "2026-12-07", "note": "Night shift first"}, headers=HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="location-{places[0].pk}"') and "<html" not in row
    assert 'value="2026-12-07"' in row and "Saved" in row
    plan = GroupLocationPlan.objects.get(group_id=group_id, location_id=places[0].pk)
    assert (str(plan.go_live_date), plan.note) == ("2026-12-07", "Night shift first")
    assert RelationAudit.objects.filter(action="location_plan").count() == 1


def test_an_inline_save_with_a_bad_date_says_why_in_the_row(steward_client, stocked):
    group_id, places = stocked
    url = f"/groups/{group_id}/locations/{places[0].pk}"
    response = steward_client.post(url, {"go_live_date": "2026-02-30"}, headers=HTMX)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not GroupLocationPlan.objects.exists()


def test_inline_saves_of_unknown_locations_or_groups_are_404(steward_client, steward_api, stocked):
    group_id, _ = stocked
    assert steward_client.post(
        f"/groups/{group_id}/locations/9999", {"go_live_date": ""}, headers=HTMX
    ).status_code == (404)
    assert steward_api.post("/groups/9999/locations/2010", {"go_live_date": None}).status_code == 404


def test_set_all_empty_fills_the_stocked_locations_without_a_date(steward_client, stocked):
    group_id, places = stocked
    plans.location_plan_set(group_id=group_id, location_id=places[0].pk, go_live_date=date(2026, 12, 1))
    response = steward_client.post(f"/groups/{group_id}/locations/fill", {"go_live_date": "2027-01-11"})
    assert response.status_code == 302
    assert dict(GroupLocationPlan.objects.values_list("location_id", "go_live_date")) == {
        places[0].pk: date(2026, 12, 1),
        places[1].pk: date(2027, 1, 11),
    }


def toasts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_refused_plan_posts_go_back_to_the_group_with_the_reason(steward_client, planner_client, stocked, unchanged):
    group_id, places = stocked
    with unchanged():
        response = steward_client.post(f"/groups/{group_id}/plan", {"last_order_date": "2026-13-01"})
        assert (response.status_code, response["Location"]) == (302, f"/groups/{group_id}")
        assert toasts(response)[-1] == (
            "last_order_date: Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
        )
        response = steward_client.post(f"/groups/{group_id}/locations/fill", {})
        assert toasts(response)[-1] == "go_live_date: This field is required."
        response = steward_client.post(f"/groups/{group_id}/locations/{places[0].pk}", {"go_live_date": "2026-02-30"})
        assert response["Location"] == f"/groups/{group_id}" and toasts(response)[-1].startswith("go_live_date:")
        assert planner_client.post(f"/groups/{group_id}/plan", {"name": "Mine"}).status_code == 403
    assert not GroupLocationPlan.objects.exists()
    response = steward_client.post(f"/groups/{group_id}/locations/{places[0].pk}", {"go_live_date": "2027-02-01"})
    assert response["Location"] == f"/groups/{group_id}#locations"
    assert toasts(response)[-1] == f"Go-live at {places[0].location_name} saved."


def test_the_row_fragment_query_count_stays_constant(steward_client, stocked, django_assert_max_num_queries):
    group_id, places = stocked
    # 14, and the write's announcement (plmtracker.changes): the daily figures marked due, attention's change noted.
    with django_assert_max_num_queries(16):
        steward_client.post(
            f"/groups/{group_id}/locations/{places[1].pk}", {"go_live_date": "2027-01-02"}, headers=HTMX
        )


# --------------------------------------------------------------------------
# GET/PUT /api/groups/<id>/locations


def test_the_locations_api_reads_and_replaces(steward_api, stocked):
    group_id, places = stocked
    ItemGroup.objects.filter(pk=group_id).update(start_date=date(2026, 11, 15))
    body = steward_api.get(f"/api/groups/{group_id}/locations").json()
    assert [
        (r["location_id"], r["stocked"], r["go_live_date"], r["effective_go_live_date"]) for r in body["locations"]
    ] == [
        (2010, True, None, "2026-11-15"),
        (2011, True, None, "2026-11-15"),
    ]
    response = steward_api.call(
        "PUT",
        f"/api/groups/{group_id}/locations",
        {"locations": [{"location_id": 2011, "go_live_date": "2026-12-24", "note": "after inventory"}], "reason": "x"},
    )
    assert response.status_code == 200
    rows = {r["location_id"]: r for r in response.json()["locations"]}
    assert (rows[2011]["go_live_date"], rows[2011]["note"]) == ("2026-12-24", "after inventory")
    assert RelationAudit.objects.get(action="location_plans_replace").reason == "x"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"locations": [{"location_id": 2010, "go_live_date": "2026-31-12"}]}, 400, "go_live_date"),
        ({"locations": [{"location_id": 4242, "go_live_date": None}]}, 404, "Location 4242"),
        ({"locations": [{"location_id": 2010}, {"location_id": 2010}]}, 400, "listed twice"),
        ({"locations": "all"}, 400, "locations"),
    ],
)
def test_the_locations_api_refuses_bad_bodies(steward_api, stocked, body, status, words):
    group_id, _ = stocked
    plans.location_plan_set(group_id=group_id, location_id=2010, go_live_date=date(2026, 12, 1))
    response = steward_api.call("PUT", f"/api/groups/{group_id}/locations", body)
    assert response.status_code == status and words in response.json()["error"]
    assert list(GroupLocationPlan.objects.values_list("location_id", "go_live_date")) == [(2010, date(2026, 12, 1))]


def test_the_locations_api_404s_an_unknown_group_and_refuses_planners(steward_api, planner_api, stocked):
    group_id, _ = stocked
    assert steward_api.get("/api/groups/9999/locations").status_code == 404
    assert steward_api.call("PUT", "/api/groups/9999/locations", {"locations": []}).status_code == 404
    response = planner_api.call("PUT", f"/api/groups/{group_id}/locations", {"locations": []})
    assert response.status_code == 403


def test_the_rows_show_the_stage_and_an_inline_save_changes_it(steward_client, items):
    group_id = link(items[0], items[1]).group_id
    place = LocationFactory(location_id=2050, location_name="PAR SICU")
    ItemLocationFactory(item=items[0], location=place, on_hand_ea=30)
    ItemLocationFactory(item=items[1], location=place, on_hand_ea=40, reorder_point=10)
    bare = LocationFactory(location_id=2060, location_name="PAR NICU")
    ItemLocationFactory(item=items[0], location=bare, on_hand_ea=5)
    today = timezone.localdate()
    page = steward_client.get(f"/groups/{group_id}").content.decode()
    assert 'data-stage="ready"' in page  # stocked with par, no go-live yet (no start date either)
    assert 'data-stage="not_set_up"' in page
    url = f"/groups/{group_id}/locations/{place.pk}"
    past = steward_client.post(url, {"go_live_date": (today - timedelta(days=1)).isoformat()}, headers=HTMX)
    assert 'data-stage="live"' in past.content.decode()
    soon = steward_client.post(
        f"/groups/{group_id}/locations/{bare.pk}",
        {"go_live_date": (today + timedelta(days=5)).isoformat()},
        headers=HTMX,
    )
    row = soon.content.decode()
    assert 'data-stage="not_set_up"' in row and 'data-flag="at_risk"' in row


def test_collect_post_of_an_existing_link_with_another_ratio_says_so(planner_client, items):
    link(items[0], items[1])
    response = planner_client.post("/collect", {"item": items[0].pk, "replace": items[1].pk, "ratio": "2"}, follow=True)
    assert "its ratio is now 2" in response.content.decode()
    assert ItemLink.objects.get().ratio == 2

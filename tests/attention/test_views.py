"""/attention, its CSV, the navigation badge and GET /api/attention."""

import csv
import io
import re
from datetime import timedelta

import pytest

from attention import services, views
from collector.models import ItemGroup, RelationAudit
from collector.services import group_update
from plmtracker import changes


@pytest.fixture
def planner(world, client):
    client.force_login(world.planner)
    return client


def test_page_lists_every_item_with_its_link(world, planner, django_assert_max_num_queries):
    with django_assert_max_num_queries(34):  # the first read of the day records its memory and folds too
        planner.get("/attention")
    with django_assert_max_num_queries(20):
        response = planner.get("/attention")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<strong id="attention-total">7</strong>' in page
    assert "Go-live late" in page and "PAR 2003" in page and "Gloves to nitrile" in page
    assert f'href="/groups/{world.g2}#locations"' in page
    assert f'href="/dashboard/groups/{world.g3}?as_of={world.today.isoformat()}"' in page


def test_page_filters_and_htmx_fragment(world, planner):
    response = planner.get(
        "/attention", {"kind": "overdue"}, headers={"HX-Request": "true", "HX-Target": "attention-table"}
    )
    page = response.content.decode()
    assert page.startswith("{% load") is False and '<div id="attention-table"' in page and "<html" not in page
    assert '<strong id="attention-total">1</strong>' in page
    mine = planner.get("/attention", {"owner": "olga@example.org", "status": "active"}).content.decode()
    assert '<strong id="attention-total">4</strong>' in mine  # G1's three and G3's one


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "<script>alert(1)</script>"}, "There is no attention kind &lt;script&gt;"),
        ({"as_of": "0001-01-01"}, "0001-01-01 is outside the dates the tracker takes (1900-01-01 to 2999-12-31)"),
        ({"as_of": "yesterday"}, "YYYY-MM-DD"),
        ({"owner": "nobody@example.org"}, "No user has the e-mail address"),
        ({"status": "retired"}, "Group status must be draft or active"),
        ({"kind": "late\x00"}, "Text cannot contain NUL characters"),
    ],
)
def test_bad_filters_answer_400_with_the_reason(world, planner, query, message):
    response = planner.get("/attention", query)
    assert response.status_code == 400
    assert message in response.content.decode()
    api = planner.get("/api/attention", query)
    assert api.status_code == 400 and message.replace("&lt;", "<").replace("&gt;", ">") in api.json()["error"]


@pytest.mark.parametrize("per_page", ["-1", "-5", "0", "1", "99999999999999999999", "ten"])
def test_the_page_keeps_its_own_page_size_whatever_per_page_says(world, planner, per_page):
    response = planner.get("/attention", {"per_page": per_page})
    assert response.status_code == 200
    assert response.content.decode().count(">Open</a>") == 7


def test_csv_export(world, planner):
    response = planner.get("/attention", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["severity", "kind", "group_id"]
    assert len(rows) == 1 + 7
    assert {r[1] for r in rows[1:]} == {
        "leakage",
        "overdue",
        "stranded_now",
        "go_live_at_risk",
        "late_go_live",
        "open_conflicts",
        "replacement_stockout_risk",
    }
    assert all(r[11].startswith("http") for r in rows[1:])
    assert rows[0][12:] == ["key", "dollars", "first_seen", "state"]
    stranded = next(r for r in rows if r[1] == "stranded_now")
    assert stranded[12:] == [f"stranded_now:{world.g1}:", "30.0", world.today.isoformat(), "open"]


def badge_count(client) -> int:
    body = client.get("/attention/count").content.decode()
    found = re.search(r'id="attention-count"[^>]*>(\d+)</span>', body)
    return int(found.group(1)) if found else 0


def list_total(client) -> int:
    return int(re.search(r'id="attention-total">(\d+)<', client.get("/attention").content.decode()).group(1))


def test_badge_counts_todays_items(world, planner, django_assert_max_num_queries):
    with django_assert_max_num_queries(32):  # the first read of the day records today's memory and folds
        assert badge_count(planner) == 7
    with django_assert_max_num_queries(7):  # then: the session, the user, freshness, owner, the count
        assert badge_count(planner) == 7
    assert 'hx-get="/attention/count"' in planner.get("/dashboard").content.decode()


def test_badge_agrees_with_the_list_after_a_write(world, planner):
    """The badge counts today's memory, recorded again after any write that announced a change."""
    assert badge_count(planner) == list_total(planner) == 7
    group_update(group_id=world.g1, status="retired")  # its leakage, overdue and stranded items go
    changes.groups_changed([world.g1])  # as the collector's writes announce it (plmtracker/changes.py)
    assert badge_count(planner) == 4
    assert list_total(planner) == 4
    ItemGroup.objects.filter(status__in=["draft", "active"]).update(status="retired")
    changes.groups_changed([world.g2, world.g3])
    assert list_total(planner) == 0  # the list records the day first, the badge then reads it
    assert badge_count(planner) == 0


def test_badge_counts_what_the_default_list_shows(world, client):
    """An owner's badge counts their groups' open and acknowledged items, as their default list does."""
    client.force_login(world.owner)
    assert badge_count(client) == list_total(client) == 4  # G1's three and G3's one
    services.attention_act(user=world.owner, keys=[f"overdue:{world.g1}:"], action="acknowledge", as_of=world.today)
    assert badge_count(client) == list_total(client) == 4  # acknowledged stays listed
    until = world.today + timedelta(days=2)
    services.attention_act(
        user=world.owner, keys=[f"leakage:{world.g1}:"], action="snooze", until=until, as_of=world.today
    )
    assert badge_count(client) == list_total(client) == 3


def test_api(world, planner, django_assert_max_num_queries):
    planner.get("/api/attention")  # the first read of the day records its memory
    with django_assert_max_num_queries(14):
        body = planner.get("/api/attention").json()
    assert body["count"] == 7 and body["as_of"] == world.today.isoformat()
    late = next(i for i in body["items"] if i["kind"] == "late_go_live")
    assert late | {} == late and late["group_id"] == world.g2 and late["location_id"] == 2003
    assert late["value"] == 3.0 and late["url"] == f"/groups/{world.g2}#locations"
    assert planner.get("/api/attention", {"owner": "me"}).json()["count"] == 0  # the planner owns nothing


def act(client, **body):
    return client.post("/api/attention/actions", body, content_type="application/json")


def test_api_items_carry_key_severity_dollars_and_memory(world, planner):
    body = planner.get("/api/attention").json()
    first = body["items"][0]
    assert (first["kind"], first["severity"], first["severity_label"]) == ("replacement_stockout_risk", 1, "Supply")
    stranded = body["items"][1]
    assert (stranded["key"], stranded["dollars"]) == (f"stranded_now:{world.g1}:", 30.0)
    assert stranded["first_seen"] == world.today.isoformat() and stranded["new"] is True
    assert (stranded["state"], stranded["snooze_until"], stranded["note"]) == ("open", None, None)


def test_api_items_are_the_json_field_by_field_conversion_gives(world, planner):
    """The item serializer writes each record's values as they are: the same JSON as DRF's own fields give."""
    from rest_framework import serializers

    from attention.serializers import AttentionItemSerializer
    from attention.services import attention_act_today

    planner.get("/attention")
    key = f"late_go_live:{world.g2}:2003"
    attention_act_today(user=world.steward, keys=[key], asked={"action": "snooze", "until": world.day(3), "note": "n"})
    body = planner.get("/api/attention", {"state": "all"}).json()
    records = views.records(world.today, states=("open", "acknowledged", "snoozed", "dismissed"))
    child = AttentionItemSerializer()
    assert body["items"] == [serializers.Serializer.to_representation(child, record) for record in records]
    snoozed = next(item for item in body["items"] if item["key"] == key)
    assert (snoozed["snooze_until"], snoozed["first_seen"], snoozed["date"]) == (
        world.day(3).isoformat(),
        world.today.isoformat(),
        world.day(-3).isoformat(),
    )


def test_api_pages_with_a_total_count(world, planner):
    body = planner.get("/api/attention", {"page_size": 3, "page": 2}).json()
    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (7, 2, 3, 3)
    assert len(body["items"]) == 3
    keys = [
        i["key"] for p in (1, 2, 3) for i in planner.get("/api/attention", {"page_size": 3, "page": p}).json()["items"]
    ]
    assert keys == [i["key"] for i in planner.get("/api/attention").json()["items"]]
    assert planner.get("/api/attention", {"page_size": 3, "page": 99}).json()["page"] == 3  # past the last: the last


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page_size": 501}, "page_size is at most 500."),
        ({"page_size": 0}, "page_size is at least 1."),
        ({"page": 10**12}, "page is at most 1,000,000."),
        ({"page": "x"}, "page must be a whole number."),
        ({"state": "gone"}, "State must be open, acknowledged, snoozed, dismissed or all."),
        ({"severity": 7}, "Severity must be 1 (supply), 2 (money), 3 (schedule) or 4 (curation)."),
    ],
)
def test_api_bad_paging_and_filters_answer_400(world, planner, query, message):
    response = planner.get("/api/attention", query)
    assert (response.status_code, response.json()) == (400, {"error": message})


def test_api_actions_and_the_state_filter(world, client):
    client.force_login(world.owner)
    key = f"overdue:{world.g1}:"
    assert client.get("/api/attention").json()["count"] == 4  # Olga's default: her own groups
    response = act(client, key=key, action="snooze", until=str(world.today + timedelta(days=3)), note="Friday")
    assert response.status_code == 200
    assert response.json() | {"first_seen": None} == {
        "key": key,
        "kind": "overdue",
        "group_id": world.g1,
        "location_id": None,
        "first_seen": None,
        "state": "snoozed",
        "snooze_until": (world.today + timedelta(days=3)).isoformat(),
        "reason": None,
        "note": "Friday",
    }
    assert client.get("/api/attention").json()["count"] == 3
    snoozed = client.get("/api/attention", {"state": "snoozed"}).json()["items"]
    assert [(i["key"], i["note"]) for i in snoozed] == [(key, "Friday")]
    assert client.get("/api/attention", {"state": "all"}).json()["count"] == 4
    assert act(client, key=key, action="dismiss", reason="data_wrong").status_code == 200
    assert client.get("/api/attention", {"state": "dismissed"}).json()["items"][0]["reason"] == "data_wrong"
    assert client.get("/api/attention", {"owner": "all"}).json()["count"] == 6


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"key": "overdue:999:", "action": "acknowledge"}, "No item today has the key overdue:999:"),
        ({"action": "snooze", "until": "2020-01-01"}, "Snooze until a day after today"),
        ({"action": "snooze"}, "Snooze until a day after today"),
        ({"action": "dismiss"}, "Dismiss needs a reason: not_applicable, accepted, data_wrong."),
        ({"action": "acknowledge", "note": "a\x00b"}, "Text cannot contain NUL characters"),
        ({"action": "wave"}, "action:"),
        ({"key": "", "action": "acknowledge"}, "key:"),
    ],
)
def test_api_action_refusals_answer_400_and_write_nothing(world, client, body, message):
    client.force_login(world.owner)
    client.get("/api/attention")
    response = act(client, **({"key": f"overdue:{world.g1}:"} | body))
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
    assert client.get("/api/attention").json()["count"] == 4
    assert not RelationAudit.objects.filter(action="attention_state").exists()


def test_api_actions_are_for_owners_and_stewards(world, client):
    client.force_login(world.planner)
    client.get("/api/attention")
    assert act(client, key=f"overdue:{world.g1}:", action="acknowledge").status_code == 403
    client.force_login(world.steward)
    assert act(client, key=f"overdue:{world.g1}:", action="acknowledge").json()["state"] == "acknowledged"


def test_todays_json_pages_in_sql_in_the_rules_order(world, planner, django_assert_max_num_queries):
    """Today's JSON is counted and sliced in SQL; its order is the rules' (severity, dollars, date, ...)."""
    from attention.views import records

    planner.get("/api/attention")
    with django_assert_max_num_queries(9):  # session, user, owns a group, freshness (2), the count, the slice
        body = planner.get("/api/attention", {"page_size": 500}).json()
    assert [i["key"] for i in body["items"]] == [r["key"] for r in records(world.today)]
    assert [i["key"] for i in records(world.today)][:2] == [
        f"replacement_stockout_risk:{world.g3}:",
        f"stranded_now:{world.g1}:",
    ]

"""The page's folding of per-location items (pure) and the /attention rows, fold fragment and buttons."""

import re
from datetime import date, timedelta

import pytest

from attention.folding import fold
from attention.services import record_today
from attention.views import TodaysFolds
from collector.models import GroupLocationPlan, RelationAudit
from tests.factories import ItemLocationFactory, LocationFactory


def record(kind, group_id, location_id=None, name=None, day=None, dollars=None, state="open", new=True):
    return {
        "kind": kind,
        "label": {"late_go_live": "Go-live late", "leakage": "Original still bought"}.get(kind, kind),
        "group_id": group_id,
        "location_id": location_id,
        "location_name": name,
        "date": day,
        "dollars": dollars,
        "key": f"{kind}:{group_id}:{location_id or ''}",
        "first_seen": date(2026, 11, 1),
        "new": new,
        "open_days": 3,
        "state": state,
    }


def test_a_groups_locations_of_one_kind_fold_into_one_row():
    late = [record("late_go_live", 5, n, f"Ward {n}", date(2026, 10, n)) for n in (9, 2, 4, 7, 5)]
    rows = fold([record("leakage", 5, dollars=12.5), *late, record("late_go_live", 6, 1, "ICU", date(2026, 10, 1))])
    assert [(r["kind"], r["group_id"], r["folded"]) for r in rows] == [
        ("leakage", 5, 0),
        ("late_go_live", 5, 5),
        ("late_go_live", 6, 0),  # one location: the item itself
    ]
    assert rows[1]["detail"] == "Go-live late at 5 locations: Ward 9, Ward 2, Ward 4 and 2 more — oldest 2026-10-02"
    assert rows[1]["keys"] == [f"late_go_live:5:{n}" for n in (9, 2, 4, 7, 5)]
    assert rows[1]["location_name"] == "5 locations" and rows[1]["date"] == date(2026, 10, 2)
    assert rows[0]["keys"] == ["leakage:5:"] and rows[0]["dollars"] == 12.5


def test_a_fold_of_mixed_states_says_so():
    rows = fold(
        [record("late_go_live", 5, 1, "A", state="open"), record("late_go_live", 5, 2, "B", state="acknowledged")]
    )
    assert rows[0]["state"] == "mixed"


@pytest.fixture
def late_at_five(world):
    """G2 gets four more late locations: with L3, five late go-lives to fold."""
    for n in range(4):
        location = LocationFactory(location_id=2100 + n, location_name=f"WARD {n}")
        ItemLocationFactory(item_id=world.g2_original, location=location, on_hand_ea=5)
        GroupLocationPlan.objects.create(group_id=world.g2, location=location, go_live_date=world.day(-10 - n))
    return world


def table(client, **query) -> str:
    return client.get("/attention", query).content.decode()


def test_the_page_folds_and_expands_to_the_locations(late_at_five, client, django_assert_max_num_queries):
    world = late_at_five
    client.force_login(world.steward)
    page = table(client)
    assert '<strong id="attention-total">11</strong> items in <span id="attention-rows">7</span> rows' in page
    assert "Go-live late at 5 locations: WARD 3, WARD 2, WARD 1 and 2 more — oldest " in page
    assert f'id="fold-{world.g2}-late_go_live"' in page
    # One form on the page (the bulk one); each row's buttons post its keys by htmx.
    assert page.count('action="/attention/actions"') == 1
    assert page.count('hx-post="/attention/actions" name="action" value="acknowledge"') == 7
    keys = " ".join(f"late_go_live:{world.g2}:{n}" for n in (2103, 2102, 2101, 2100, 2003))  # as the row names them
    assert f'hx-vals=\'{{"key": "{keys}"}}\'' in page
    # Today's rows are folded in SQL; sorted by a column, every item is folded in Python: the same rows.
    by_date = table(client, sort="date")
    assert '<strong id="attention-total">11</strong> items in <span id="attention-rows">7</span> rows' in by_date
    assert "Go-live late at 5 locations: WARD 3, WARD 2, WARD 1 and 2 more — oldest " in by_date
    rows = re.findall(r'<tr [^>]*id="row-(\d+)-(\w+)"', page)
    assert rows[:3] == [
        (str(world.g3), "replacement_stockout_risk"),
        (str(world.g1), "stranded_now"),
        (str(world.g1), "leakage"),
    ]
    with django_assert_max_num_queries(14):
        fragment = client.get(
            "/attention/fold", {"group": world.g2, "kind": "late_go_live"}, headers={"HX-Request": "true"}
        ).content.decode()
    assert "<html" not in fragment and fragment.count('class="py-1 border-bottom attention-fold-row"') == 5
    assert fragment.count('value="acknowledge"') == 5  # each location with its own actions
    for bad in ("x", "", "0", "-3", "99999999999999999999", "٣"):
        assert client.get("/attention/fold", {"group": bad}).status_code == 400
    assert client.get("/api/attention").json()["count"] == 11  # the JSON stays one item per key


def test_row_buttons_act_without_a_page_reload(late_at_five, client):
    world = late_at_five
    client.force_login(world.steward)
    table(client)
    keys = " ".join(f"late_go_live:{world.g2}:{n}" for n in (2003, 2100, 2101, 2102, 2103))
    response = client.post(
        "/attention/actions",
        {"key": keys, "action": "acknowledge", "filters": ""},
        headers={"HX-Request": "true", "HX-Target": "attention-table"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "Acknowledged 5 items." in page
    assert page.count("Acknowledged</span>") == 1  # the folded row, marked; still listed
    assert RelationAudit.objects.filter(action="attention_state", group_id=world.g2).count() == 5
    until = (world.today + timedelta(days=2)).isoformat()
    response = client.post(
        "/attention/actions",
        {"key": keys, "action": "snooze", "until": until, "filters": "state=all"},
        headers={"HX-Request": "true"},
    )
    assert f"Snoozed until {until}" in response.content.decode()
    assert '<strong id="attention-total">6</strong>' in table(client)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "snooze"}, "Snooze until a day after today"),
        ({"action": "snooze", "until": "2020-01-01"}, "Snooze until a day after today"),
        ({"action": "dismiss"}, "Dismiss needs a reason"),
        ({"action": "acknowledge", "note": "a\x00b"}, "Text cannot contain NUL characters"),
        ({"action": "acknowledge", "filters": "owner=nobody@example.org"}, "No user has the e-mail address"),
        ({"action": "jump"}, "There is no action jump."),
        ({"action": "acknowledge", "key": "overdue:1:x"}, "No item today has the key overdue:1:x"),
    ],
)
def test_bad_row_actions_answer_400_with_the_reason(world, client, data, message):
    client.force_login(world.steward)
    table(client)
    body = {"key": f"overdue:{world.g1}:", "filters": ""} | data
    response = client.post("/attention/actions", body, headers={"HX-Request": "true"})
    assert response.status_code == 400 and message in response.content.decode()
    assert not RelationAudit.objects.filter(action="attention_state").exists()


def test_a_planner_who_owns_nothing_sees_no_buttons_and_is_refused(world, client):
    client.force_login(world.planner)
    page = table(client)
    assert 'value="acknowledge"' not in page.split('id="attention-bulk"')[-1].split("</form>", 1)[-1]
    response = client.post("/attention/actions", {"key": f"overdue:{world.g1}:", "action": "acknowledge"})
    assert response.status_code == 403


def test_an_owner_sees_their_own_first_and_may_widen(world, client):
    client.force_login(world.owner)
    assert '<strong id="attention-total">4</strong>' in table(client)
    assert '<strong id="attention-total">7</strong>' in table(client, owner="all")
    assert '<strong id="attention-total">1</strong>' in table(client, owner="all", severity=1)


def test_new_only_and_location_filters(world, client):
    client.force_login(world.steward)
    assert '<strong id="attention-total">7</strong>' in table(client, new="on")
    assert '<strong id="attention-total">1</strong>' in table(client, location=2003)
    assert "Why this order" in table(client) and "patients are affected within days" in table(client)


def test_todays_folds_count_on_the_first_page_and_page_on(late_at_five, client, django_assert_num_queries):
    """The first page's slice carries the totals (one statement); other pages count and slice the same rows."""
    client.force_login(late_at_five.steward)
    today = record_today()
    whole = TodaysFolds(today, {}, first_page=50)
    assert (len(whole), whole.items) == (7, 11)
    rows = [(r["group_id"], r["kind"], r["folded"]) for r in whole[0:50]]
    paged = TodaysFolds(today, {}, first_page=3)
    with django_assert_num_queries(1):
        assert (len(paged), paged.items) == (7, 11)
    pages = [paged[0:3], paged[3:6], paged[6:9]]
    assert [(r["group_id"], r["kind"], r["folded"]) for page in pages for r in page] == rows
    assert (late_at_five.g2, "late_go_live", 5) in rows
    nothing = TodaysFolds(today, {"kinds": ["overdue"], "severity": 1}, first_page=3)
    assert (len(nothing), nothing.items, nothing[0:3]) == (0, 0, [])

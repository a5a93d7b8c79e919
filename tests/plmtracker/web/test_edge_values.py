"""Days near the calendar's ends and bodies a parser cannot take: a 4xx or a row error, never a 500."""

import io
import json
from datetime import date
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from collector.models import GroupLocationPlan, ItemGroup, ItemGroupMember
from collector.services import link_add
from plmtracker.feeds import cells
from plmtracker.inventory.models import ItemLocation
from plmtracker.web.dates import day_in_range
from tests.factories import BurnRateFactory, ItemFactory, ItemLocationFactory, LocationFactory, PoLineFactory
from tests.plmtracker.feeds.helpers import write_csv, write_xlsx
from tests.plmtracker.feeds.test_admin import upload

FAR_DAYS = ["0001-01-01", "0001-01-02", "1899-12-31", "3000-01-01", "9999-12-31"]


@pytest.mark.parametrize("value", [date(1, 1, 1), date(1899, 12, 31), date(3000, 1, 1), date(9999, 12, 31)])
def test_the_validator_refuses_days_outside_the_range(value):
    with pytest.raises(ValidationError, match="outside the dates the tracker takes"):
        day_in_range(value)


@pytest.mark.parametrize("value", [date(1900, 1, 1), date(2999, 12, 31), None])
def test_the_validator_takes_the_range_itself(value):
    day_in_range(value)


@pytest.mark.parametrize(
    ("parser", "value"),
    [
        (cells.day, "0001-01-01"),
        (cells.day, "9999-12-31"),
        (cells.day, date(9999, 12, 31)),
        (cells.moment, "0001-01-01"),
        (cells.moment, "0001-01-01T00:00"),
        (cells.moment, "9999-12-31 23:59:59"),
        (cells.moment, date(9999, 12, 31)),
    ],
)
def test_cells_refuse_days_outside_the_range(parser, value, settings):
    settings.TIME_ZONE = "America/New_York"  # a zone west of UTC: 0001-01-01 00:00 would underflow
    with pytest.raises(cells.CellError, match=r"outside the dates the tracker takes \(1900-01-01 to 2999-12-31\)"):
        parser(value)


IL_HEADER = ["erp_item_code", "location_id", "location_name", "location_type", "on_hand_ea", "last_counted_at"]


@pytest.mark.django_db
@pytest.mark.parametrize("counted", ["0001-01-01", "9999-12-31 23:59", "9999-12-31"])
def test_import_data_reports_a_far_day_as_a_row_error(tmp_path, counted):
    ItemFactory(erp_item_code="1000001")
    path = write_csv(tmp_path / "il.csv", IL_HEADER, [["1000001", "5", "ICU", "par", "3", counted]])
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_data", "item_locations", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 2, last_counted_at: " in err.getvalue()
    assert "outside the dates the tracker takes" in err.getvalue()
    assert not ItemLocation.objects.exists()


@pytest.mark.django_db
def test_admin_import_lists_a_far_day_and_offers_no_confirm(steward_client, tmp_path):
    ItemFactory(erp_item_code="1000001")
    rows = [["1000001", "5", "ICU", "par", "3", "9999-12-31 23:59:59"]]
    response = upload(steward_client, "item_locations", write_xlsx(tmp_path / "il.xlsx", IL_HEADER, rows), 1)
    assert response.status_code == 200
    assert "outside the dates the tracker takes" in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert not ItemLocation.objects.exists()


# --- group dates and filters (the collector) --------------------------------


@pytest.fixture
def group_id(db):
    return link_add(item_id=ItemFactory().pk, replace_item_id=ItemFactory().pk).group_id


def json_post(client, url, body):
    return client.post(url, body, content_type="application/json", headers={"Accept": "application/json"})


@pytest.mark.django_db
@pytest.mark.parametrize("day", FAR_DAYS)
@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_group_dates_outside_the_range_are_refused(steward_client, group_id, field, day):
    response = json_post(steward_client, reverse("collector:group_update", args=[group_id]), {field: day})
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"{field}: {day} is outside the dates the tracker takes")
    response = json_post(steward_client, reverse("collector:groups"), {field: day})
    assert response.status_code == 400
    form = steward_client.post(reverse("collector:group_update", args=[group_id]), {field: day, "status": "active"})
    assert form.status_code == 302
    assert ItemGroup.objects.get().start_date is None and ItemGroup.objects.get().end_date is None


@pytest.mark.django_db
@pytest.mark.parametrize("day", FAR_DAYS)
def test_groups_updated_since_outside_the_range_is_refused(planner_client, group_id, day, settings):
    settings.TIME_ZONE = "Pacific/Kiritimati"
    url = reverse("collector:groups")
    response = planner_client.get(url, {"updated_since": day}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "outside the dates the tracker takes" in response.json()["error"]
    page = planner_client.get(url, {"updated_since": day})
    assert page.status_code == 200
    assert "outside the dates the tracker takes" in page.content.decode()


@pytest.mark.django_db
def test_group_admin_refuses_far_dates(admin_client, group_id):
    url = reverse("admin:collector_itemgroup_change", args=[group_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: form[k].value() or "" for k in form.fields}
    data["start_date"] = "0001-01-01"
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "outside the dates the tracker takes" in response.content.decode()


# --- plan dates: the plan panel, go-live per location, the admin -----------------


OUTSIDE = "outside the dates the tracker takes (1900-01-01 to 2999-12-31)"


@pytest.fixture
def place(group_id):
    """A location where a member of the group is stocked: it has a row in the go-live table."""
    location = LocationFactory(location_id=2010, location_name="PAR 2010 WEST")
    ItemLocationFactory(item=ItemGroupMember.objects.filter(group_id=group_id).first().item, location=location)
    return location


@pytest.mark.django_db
@pytest.mark.parametrize("day", FAR_DAYS)
@pytest.mark.parametrize("field", ["start_date", "last_order_date", "end_date"])
def test_plan_dates_outside_the_range_are_refused(steward_client, planner_client, group_id, field, day):
    url = reverse("collector:group_plan", args=[group_id])
    response = json_post(steward_client, url, {field: day})
    assert response.status_code == 400
    assert response.json()["error"] == f"{field}: {day} is {OUTSIDE}."
    form = steward_client.post(url, {field: day})  # the page's form: back, with the reason
    assert form.status_code == 302
    assert OUTSIDE in str(list(form.wsgi_request._messages)[0])
    group = ItemGroup.objects.get()
    assert (group.start_date, group.last_order_date, group.end_date) == (None, None, None)
    # The group's dashboard page answers for everyone (a start of 0001-01-01 made it a 500).
    assert planner_client.get(reverse("dashboard:group", args=[group_id])).status_code == 200


@pytest.mark.django_db
def test_an_end_and_last_order_at_the_start_of_the_calendar_are_refused(steward_client, group_id):
    url = reverse("collector:group_plan", args=[group_id])
    response = json_post(steward_client, url, {"end_date": "0001-01-02", "last_order_date": "0001-01-01"})
    assert response.status_code == 400  # was a 500 on save (the date arithmetic overflowed)
    assert OUTSIDE in response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("day", FAR_DAYS)
def test_go_live_dates_outside_the_range_are_refused_everywhere(steward_client, group_id, place, day):
    api = steward_client.put(
        reverse("collector:api_locations", args=[group_id]),
        {"locations": [{"location_id": place.pk, "go_live_date": day}]},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert OUTSIDE in api.json()["error"]
    row = reverse("collector:location_plan", args=[group_id, place.pk])
    answer = json_post(steward_client, row, {"go_live_date": day})
    assert answer.status_code == 400 and OUTSIDE in answer.json()["error"]
    htmx = steward_client.post(row, {"go_live_date": day}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and OUTSIDE in htmx.content.decode()  # the row again, saying why
    fill = json_post(steward_client, reverse("collector:location_fill", args=[group_id]), {"go_live_date": day})
    assert fill.status_code == 400 and OUTSIDE in fill.json()["error"]
    assert not GroupLocationPlan.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field", "day"),
    [
        ("poline", "po_date", "0001-01-01"),
        ("poline", "po_date", "9999-12-31"),
        ("burnratedaily", "as_of_date", "3000-01-01"),
    ],
)
def test_the_admin_refuses_far_days_in_the_inventory_rows(admin_client, model, field, day):
    row = PoLineFactory() if model == "poline" else BurnRateFactory()
    url = reverse(f"admin:plmtracker_{model}_change", args=[row.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: form[k].value() if form[k].value() is not None else "" for k in form.fields}
    data[field] = day
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert OUTSIDE in response.content.decode()
    row.refresh_from_db()
    assert str(getattr(row, field)) != day


# --- JSON bodies ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["collector:api_link", "collector:groups"])
def test_a_deeply_nested_json_body_is_a_400(steward_client, name):
    response = steward_client.post(
        reverse(name), "[" * 100_000, content_type="application/json", headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]


@pytest.mark.django_db
def test_a_json_body_over_the_cap_is_a_400(steward_client, settings):
    settings.PLM_API_MAX_JSON_BYTES = 1000
    body = json.dumps({"item": "A", "replace": "B", "reason": "x" * 2000})
    response = steward_client.post(
        reverse("collector:api_link"), body, content_type="application/json", headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "JSON body too large: at most 1000\xa0bytes."}


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [900, 2_000, 100_000])
def test_json_nested_at_any_depth_answers_400_not_500(steward_client, depth):
    response = steward_client.post(
        reverse("collector:api_link"),
        "[" * depth + "]" * depth,
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400


# --- NUL characters (PostgreSQL cannot take them) ---------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/collect/items", {"q": "glo\x00ve"}),
        ("/groups/search", {"q": "\x00"}),
        ("/groups", {"q": "\x00"}),
        ("/conflicts", {"item": "\x00"}),
        ("/dashboard", {"location_id": "\x00"}),
    ],
)
def test_a_nul_in_the_query_string_is_a_400(planner_client, url, params):
    page = planner_client.get(url, params)
    assert page.status_code == 400 and page["Content-Type"].startswith("text/plain")
    body = planner_client.get(url, params, headers={"Accept": "application/json"})
    assert body.status_code == 400 and body.json() == {"error": "Text cannot contain NUL characters (\\x00)."}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["owner", "reason", "status"])
def test_a_nul_in_a_form_or_json_body_is_a_400(steward_client, group_id, field):
    url = reverse("collector:group_update", args=[group_id])
    form = steward_client.post(url, urlencode({field: "a\x00b"}), content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400
    multipart = steward_client.post(url, {field: "a\x00b"})  # the page's answer: back, with the reason
    assert multipart.status_code == 302
    assert [str(m) for m in multipart.wsgi_request._messages] == ["Text cannot contain NUL characters (\\x00)."]
    assert ItemGroup.objects.get().reason is None
    response = json_post(steward_client, url, {field: "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"error": "Text cannot contain NUL characters (\\x00)."}


def links_file(rows: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile("links.csv", f"item,replace,reason\n{rows}".encode(), content_type="text/csv")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/collect/bulk", {"action": "commit", "token": "a\x00b"}),  # PostgreSQL answered 500
        ("/collect/bulk", {"action": "commit", "tok\x00en": "abc"}),
        ("/collect/bulk", {"fi\x00le": links_file()}),
        ("/collect", {"item": "1\x00", "replace": "2"}),
        ("/account/digest", {"digest": "o\x00n"}),
    ],
    ids=["bulk token", "field name", "file field name", "collect", "digest"],
)
def test_a_nul_in_a_multipart_form_is_a_400(steward_client, url, data):
    response = steward_client.post(url, data)  # the test client sends a dict as multipart/form-data
    assert response.wsgi_request.content_type == "multipart/form-data"
    assert response.status_code == 400
    assert response.content.decode() == "Text cannot contain NUL characters (\\x00)."
    assert not ItemGroup.objects.exists()


@pytest.mark.django_db
def test_a_multipart_upload_without_nul_still_reaches_the_page(steward_client):
    a, b = ItemFactory(), ItemFactory()
    response = steward_client.post("/collect/bulk", {"file": links_file(f"{a.erp_item_code},{b.erp_item_code},EOL\n")})
    assert response.status_code == 200
    assert 'name="token"' in response.content.decode()  # the preview, waiting for its commit

"""Go-live edits say what they change before they are saved: the stage changes, dates outside the plan."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from collector import golive_preview, stage_source
from collector.models import GroupLocationPlan, ItemGroup
from collector.selectors import location_rows
from tests.factories import ItemLocationFactory, LocationFactory

HTMX = {"HX-Request": "true"}


def stages(**by_location):
    return {loc: {"stage": stage, "late": late, "at_risk": False} for loc, (stage, late) in by_location.items()}


def test_the_sentence_names_each_move_the_most_first():
    before = {n: {"stage": "converted", "late": False, "at_risk": False} for n in range(6)}
    before[6] = {"stage": "live", "late": False, "at_risk": False}
    before[7] = {"stage": "ready", "late": False, "at_risk": False}
    after = {n: {"stage": "ready", "late": False, "at_risk": False} for n in range(8)}
    assert golive_preview.change_sentence(before, after) == "This turns 6 Converted and 1 Live back to Ready."


def test_the_sentence_says_forward_moves_and_new_late_locations():
    before = {1: {"stage": "ready", "late": False, "at_risk": False}, 2: {"stage": "set_up", "late": False}}
    after = {1: {"stage": "live", "late": False, "at_risk": False}, 2: {"stage": "set_up", "late": True}}
    assert golive_preview.change_sentence(before, after) == "This turns 1 Ready to Live. 1 location would be late."
    assert golive_preview.change_sentence(before, before) == "No location changes stage."


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 1, 1), ["2026-01-01 is before the group's start date 2026-03-01."]),
        (date(2026, 3, 1), []),
        (date(2026, 12, 31), []),
        (date(2027, 1, 1), ["2027-01-01 is after the group's end date 2026-12-31."]),
        (None, []),
    ],
)
def test_dates_outside_the_plan_are_warned(day, words):
    assert golive_preview.date_warnings(day, date(2026, 3, 1), date(2026, 12, 31)) == words


@pytest.fixture
def converted(items):
    """An active group started 60 days ago, converted at one location (original gone, replacement stocked,
    no plan: the start date is its go-live) and with the replacement alone at another."""
    from collector.services import group_update, link_add

    today = timezone.localdate()
    group_id = link_add(item_id=items[0].pk, replace_item_id=items[1].pk).group_id
    group_update(
        group_id=group_id,
        status="active",
        start_date=date.fromordinal(today.toordinal() - 60),
        end_date=date.fromordinal(today.toordinal() + 30),
    )
    places = [LocationFactory(location_id=2100 + n, location_name=f"Ward {n}") for n in range(2)]
    ItemLocationFactory(item=items[0], location=places[0], on_hand_ea=0)
    ItemLocationFactory(item=items[1], location=places[0], on_hand_ea=10, reorder_point=5)
    ItemLocationFactory(item=items[1], location=places[1], on_hand_ea=4, reorder_point=5)
    return ItemGroup.objects.get(pk=group_id), places


def test_the_fill_preview_says_converted_locations_go_back_and_warns_after_the_end(steward_client, converted):
    group, places = converted
    later = date.fromordinal(group.end_date.toordinal() + 5)
    response = steward_client.get(f"/groups/{group.pk}/locations/preview", {"go_live_date": later}, headers=HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Gives {later.isoformat()} to 2 locations without a go-live." in text
    assert "This turns 2 Converted back to Ready." in text
    assert f"is after the group&#x27;s end date {group.end_date.isoformat()}" in text
    assert not GroupLocationPlan.objects.exists()  # a preview writes nothing


def test_a_row_preview_warns_before_the_start(steward_client, converted):
    group, places = converted
    response = steward_client.get(
        f"/groups/{group.pk}/locations/preview", {"go_live_date": "2026-01-01", "location_id": places[0].pk}
    )
    text = response.content.decode()
    assert response.status_code == 200 and f'id="preview-{places[0].pk}"' in text
    assert f"2026-01-01 is before the group&#x27;s start date {group.start_date.isoformat()}." in text
    assert "Gives" not in text  # one location: no count


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"go_live_date": "2026-02-30"}, 400, "YYYY-MM-DD"),
        ({"go_live_date": "01/12/2027"}, 400, "YYYY-MM-DD"),
        ({"go_live_date": "2027-01-11", "location_id": "x<b>"}, 400, "whole number"),
        ({"go_live_date": "2027-01-11", "location_id": "0"}, 400, "greater than or equal to 1"),
        ({"go_live_date": "2027-01-11", "location_id": "9999"}, 404, "not one of group"),
    ],
)
def test_the_preview_refuses_bad_input_and_writes_nothing(steward_client, converted, params, status, words):
    group, _ = converted
    response = steward_client.get(f"/groups/{group.pk}/locations/preview", params, headers=HTMX)
    assert response.status_code == status and words in response.content.decode()
    assert "<b>" not in response.content.decode()
    assert steward_client.get("/groups/999999/locations/preview", {"go_live_date": "2027-01-11"}).status_code == 404


def test_the_preview_query_count_stays_constant(steward_client, converted, django_assert_max_num_queries):
    group, places = converted
    for n in range(10):  # more stocked locations without a plan: the same queries
        ItemLocationFactory(item_id=group.members.first().item_id, location=LocationFactory(), on_hand_ea=n)
    with django_assert_max_num_queries(7):
        steward_client.get(f"/groups/{group.pk}/locations/preview", {"go_live_date": "2027-01-11"}, headers=HTMX)


def test_a_saved_row_warns_of_a_date_before_the_start(steward_client, converted):
    group, places = converted
    response = steward_client.post(
        f"/groups/{group.pk}/locations/{places[1].pk}", {"go_live_date": "2026-01-01"}, headers=HTMX
    )
    assert response.status_code == 200 and "Saved" in response.content.decode()
    assert "is before the group&#x27;s start date" in response.content.decode()


def test_on_the_demo_the_preview_says_what_saving_then_does(steward_client, db):
    """For every demo group with empty locations: the fill preview's sentence is the one the real stages
    before and after the save give."""
    call_command("seed_demo", scale="small", seed=7, verbosity=0)
    today = timezone.localdate()
    day = date.fromordinal(today.toordinal() + 45)
    checked = changed = 0
    for group in ItemGroup.objects.exclude(status="retired").order_by("pk"):
        if not any(r.stocked and r.go_live_date is None for r in location_rows(group)):
            continue
        before = stage_source.location_stages(group.pk, today)
        shown = golive_preview.preview(group, day, today)["sentence"]
        assert steward_client.post(f"/groups/{group.pk}/locations/fill", {"go_live_date": day}).status_code == 302
        assert shown == golive_preview.change_sentence(before, stage_source.location_stages(group.pk, today)), group.pk
        checked += 1
        changed += shown != "No location changes stage."
        if checked == 12:
            break
    assert checked == 12 and changed

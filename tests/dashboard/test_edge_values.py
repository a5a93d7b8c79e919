"""Valid but extreme data and days near the calendar's ends: an answer, never a 500.

A burn of 0.000001 EA/day puts the run-out date beyond the calendar: it reads
"not within 10 years" (JSON: run_out_date null, run_out_beyond_horizon true).
An as_of outside 1900-01-01..2999-12-31 is refused with 400 everywhere.
"""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from collector.models import ItemGroup
from collector.services import group_update, link_add
from dashboard import kpis
from dashboard.outcomes import MAX_TREND_DAYS
from tests.factories import BurnRateFactory, ItemFactory, ItemLocationFactory, LocationFactory

AS_OF = date(2026, 11, 20)


def test_run_out_beyond_the_horizon_is_no_date():
    assert kpis.run_out_date(AS_OF, Decimal("1000000000000000"), Decimal("0.000001")) is None
    assert kpis.run_out_beyond_horizon(Decimal("1000000000000000"), Decimal("0.000001"))
    horizon = kpis.RUN_OUT_HORIZON_DAYS
    assert kpis.run_out_date(AS_OF, horizon, 1) == date.fromordinal(AS_OF.toordinal() + horizon)
    assert not kpis.run_out_beyond_horizon(horizon, 1)
    assert kpis.run_out_date(AS_OF, horizon + 1, 1) is None
    assert kpis.run_out_beyond_horizon(horizon + 1, 1)
    assert not kpis.run_out_beyond_horizon(5, 0)  # no burn: no run-out at all, not "beyond"
    assert kpis.run_out(AS_OF, 0, 2, "original_") == {
        "original_run_out_date": AS_OF,
        "original_run_out_beyond_horizon": False,
    }


@pytest.fixture
def slow_burn(db):
    """A group whose original burns 0.000001 EA/day with a large stock (it lasts for ever)."""
    location = LocationFactory(location_id=77, location_name="Main")
    original, replacement = ItemFactory(), ItemFactory()
    group_id = link_add(item_id=original.pk, replace_item_id=replacement.pk).group_id
    group_update(group_id=group_id, status="active", start_date=date(2026, 1, 1), end_date=date(2027, 1, 1))
    ItemLocationFactory(item=original, location=location, on_hand_ea=Decimal("1000000000.00"))
    BurnRateFactory(item=original, location=location, as_of_date=date(2026, 11, 1), burnrate_ea_per_day="0.000001")
    return group_id, original.pk


def test_slow_burn_reads_not_within_ten_years(planner_client, slow_burn):
    group_id, item_id = slow_burn
    params = {"as_of": timezone.localdate().isoformat()}  # today: the stock is the item locations' on-hand
    body = planner_client.get(reverse("dashboard:api_group_kpis", args=[group_id]), params).json()
    assert (body["run_out_date"], body["run_out_beyond_horizon"]) == (None, True)
    assert (body["locations"][0]["original_run_out_date"], body["locations"][0]["original_run_out_beyond_horizon"]) == (
        None,
        True,
    )
    body = planner_client.get(reverse("dashboard:api_item_kpis", args=[item_id]), params).json()
    assert (body["run_out_date"], body["run_out_beyond_horizon"]) == (None, True)
    assert body["locations"][0]["run_out_beyond_horizon"] is True
    for name, key in (("dashboard:group", group_id), ("dashboard:item", item_id)):
        response = planner_client.get(reverse(name, args=[key]), params)
        assert response.status_code == 200
        assert "not within 10 years" in response.content.decode()
    for fmt in ("csv", "xlsx"):
        response = planner_client.get(reverse("dashboard:group_export", args=[group_id, fmt]), params)
        assert response.status_code == 200
    assert planner_client.get(reverse("dashboard:overview"), params).status_code == 200


def dashboard_urls(group_id: int, item_id: int) -> list[str]:
    return [
        reverse("dashboard:overview"),
        reverse("dashboard:overview_export", args=["csv"]),
        reverse("dashboard:group", args=[group_id]),
        reverse("dashboard:group_export", args=[group_id, "xlsx"]),
        reverse("dashboard:item", args=[item_id]),
        reverse("dashboard:api_group_kpis", args=[group_id]),
        reverse("dashboard:api_group_timeseries", args=[group_id]),
        reverse("dashboard:api_item_kpis", args=[item_id]),
        reverse("dashboard:api_item_timeseries", args=[item_id]),
    ]


@pytest.mark.parametrize("as_of", ["0001-01-01", "0001-01-02", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_as_of_outside_the_calendar_is_refused_everywhere(planner_client, slow_burn, as_of):
    group_id, item_id = slow_burn
    for url in dashboard_urls(group_id, item_id):
        response = planner_client.get(url, {"as_of": as_of, "days": 730})
        assert response.status_code == 400, url
        text = response.content.decode()
        if "/api/" in url:
            assert response.json() == {
                "error": f"{as_of} is outside the dates the tracker takes (1900-01-01 to 2999-12-31)."
            }
        else:
            assert "1900-01-01 to 2999-12-31" in text, url


@pytest.mark.parametrize("as_of", ["1900-01-01", "2999-12-31"])
def test_the_ends_of_the_range_answer(planner_client, slow_burn, as_of):
    group_id, item_id = slow_burn
    for url in dashboard_urls(group_id, item_id):
        assert planner_client.get(url, {"as_of": as_of, "days": 730}).status_code == 200, url


# --- chart ranges: bounded whatever as_of or the start date ---------------------


def chart_points(response) -> dict[str, int]:
    """The labels each chart of a page draws (its chart-data script)."""
    page = response.content.decode()
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)[1])
    return {name: len(chart["labels"]) for name, chart in data.items() if "labels" in chart}


@pytest.mark.parametrize("start", [date(1900, 1, 1), date(2026, 1, 1)])
def test_a_far_as_of_draws_at_most_two_years_of_charts(planner_client, slow_burn, start):
    """as_of 2999-12-31 after a 2026 start drew every week of 974 years: 20.7 MB and 2.5 s."""
    group_id, _ = slow_burn
    ItemGroup.objects.filter(pk=group_id).update(start_date=start)
    response = planner_client.get(reverse("dashboard:group", args=[group_id]), {"as_of": "2999-12-31"})
    assert response.status_code == 200
    points = chart_points(response)
    assert points["po_weekly"] <= 106 and points["compliance"] <= 106  # weeks of two years
    assert all(count <= MAX_TREND_DAYS + 1 for count in points.values()), points
    assert len(response.content) < 400_000


def test_the_charts_span_the_days_asked_for_whatever_the_start(planner_client, slow_burn):
    group_id, _ = slow_burn  # starts 2026-01-01
    response = planner_client.get(reverse("dashboard:group", args=[group_id]), {"as_of": "2026-11-20", "days": "30"})
    charts = json.loads(
        re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', response.content.decode(), re.S)[1]
    )
    assert charts["on_hand"]["labels"][0] == "2026-10-21"  # 30 days, not 12 weeks before the start
    assert charts["compliance"]["labels"][0] == "2026-10-19"  # the Monday of 10-21's week


@pytest.mark.parametrize("name", ["dashboard:api_group_timeseries", "dashboard:api_item_timeseries"])
@pytest.mark.parametrize("as_of", ["2999-12-31", "1900-01-01"])
def test_the_timeseries_json_stays_within_two_years(planner_client, slow_burn, name, as_of):
    group_id, item_id = slow_burn
    key = group_id if "group" in name else item_id
    body = planner_client.get(reverse(name, args=[key]), {"as_of": as_of, "days": MAX_TREND_DAYS}).json()
    assert body["days"] == MAX_TREND_DAYS
    assert len(body["po_weekly"]) <= 106
    too_long = planner_client.get(reverse(name, args=[key]), {"as_of": as_of, "days": MAX_TREND_DAYS + 1})
    assert too_long.status_code == 400
    assert too_long.json() == {"error": f"The trend can be at most {MAX_TREND_DAYS} days long."}

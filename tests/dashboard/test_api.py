"""The JSON API: the KPI and trend bodies, their 400s and 404s, and query counts that do not grow."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from dashboard.outcomes import OUTCOME_FIELDS
from tests.dashboard.conftest import AS_OF
from tests.dashboard.growth import grow

pytestmark = pytest.mark.django_db

KPI_KEYS = {"on_hand_ea", "burn_ea_per_day", "coverage_days", "po_qty_90d", "po_spend_90d"}
MEMBER_EQUIVALENTS = {"factor", "supply_equiv", "demand_equiv_per_day"}
PARAMS = {"as_of": AS_OF.isoformat(), "location_id": "ALL"}


def get(client, name, key, **params):
    arg = "group_id" if "group" in name else "item_id"
    return client.get(reverse(f"dashboard:{name}", kwargs={arg: key}), params)


def test_group_kpis_body(planner_client, conversion):
    response = get(planner_client, "api_group_kpis", conversion.group_id, **PARAMS)
    assert response.status_code == 200
    body = response.json()
    assert {"group_id", "as_of", "location_id", "original", "replacement", "readiness_pct", "items"} <= set(body)
    assert (body["group_id"], body["as_of"], body["location_id"]) == (conversion.group_id, "2026-11-20", "ALL")
    assert body["original"] == {
        "on_hand_ea": 200.0,
        "burn_ea_per_day": 8.0,
        "coverage_days": 25.0,
        "po_qty_90d": 27.0,
        "po_spend_90d": 40.0,
    }
    assert body["readiness_pct"] == 33.33
    assert set(body["items"][0]) == {"item_id", "erp_item_code", "role"} | KPI_KEYS | MEMBER_EQUIVALENTS
    no_role = body["items"][3]
    assert (no_role["erp_item_code"], no_role["role"], no_role["coverage_days"]) == ("GLV-D", None, 3.5)
    assert body["run_out_date"] == "2026-12-15"
    # use_up (the default) strands what a location will not use within 365 days (docs/DESIGN.md, "Stranded
    # stock"): B@L3 has no burn, all its 20 EA at $0.50; the other rows burn theirs well within the year.
    assert body["stranded"] == {
        "policy": "use_up",
        "end_date": "2026-12-20",
        "days_left": 30,
        "horizon_days": 365,
        "on_hand_ea": 20.0,
        "value": 10.0,
    }
    assert body["leakage"] == {"since": "2026-10-01", "po_qty": 9.0, "po_spend": 15.0}
    assert (body["name"], body["use_up_policy"], body["last_order_date"], body["setup_pct"]) == (
        None,
        "use_up",
        None,
        33.33,
    )
    assert body["title"] == f"{conversion.a.description} -> {conversion.c.description}"
    assert [
        (loc["location_id"], loc["go_live_date"], loc["stage"], loc["late"], loc["at_risk"])
        for loc in body["locations"]
    ] == [
        (1001, "2026-10-01", "live", False, False),
        (1002, "2026-10-01", "not_set_up", True, False),
        (1003, "2026-10-01", "not_set_up", True, False),
    ]
    assert body["stage_counts"] == {
        "not_set_up": 2,
        "set_up": 0,
        "ready": 0,
        "live": 1,
        "converted": 0,
        "late": 2,
        "at_risk": 0,
    }
    assert body["on_hand_source"] == {
        "from_snapshots": False,
        "snapshot_date": None,
        "label": "on hand today, from the stock records",
    }


def test_numbers_are_json_numbers_and_undefined_is_null(planner_client, conversion):
    raw = get(planner_client, "api_group_kpis", conversion.group_id, as_of="2026-11-20", location_id="1003").content
    body = get(planner_client, "api_group_kpis", conversion.group_id, as_of="2026-11-20", location_id="1003").json()
    assert body["location_id"] == 1003
    assert b'"coverage_days":null' in raw
    assert b'"on_hand_ea":20.0' in raw  # a number, not "20.00"
    assert all(isinstance(v, float) or v is None for v in body["original"].values())


def test_as_of_defaults_to_today(planner_client, conversion):
    from django.utils import timezone

    body = get(planner_client, "api_group_kpis", conversion.group_id).json()
    assert (body["as_of"], body["location_id"]) == (timezone.localdate().isoformat(), "ALL")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "2026-13-01"}, "The “as of” day must be a date written YYYY-MM-DD, e.g. 2026-11-20."),
        ({"as_of": "yesterday"}, "The “as of” day must be a date written YYYY-MM-DD, e.g. 2026-11-20."),
        ({"location_id": "999"}, "There is no location 999: use ALL or a location number."),
        ({"location_id": "north"}, "There is no location north: use ALL or a location number."),
    ],
)
@pytest.mark.parametrize("name", ["api_group_kpis", "api_group_timeseries", "api_item_kpis", "api_item_timeseries"])
def test_bad_parameters_are_400_with_the_reason(planner_client, conversion, name, params, message):
    key = conversion.group_id if "group" in name else conversion.a.pk
    response = get(planner_client, name, key, **params)
    assert response.status_code == 400
    assert response.json() == {"error": message}


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "The trend must be at least 1 day long."),
        ("9999", "The trend can be at most 730 days long."),
        ("a", "The trend length must be a whole number of days."),
    ],
)
def test_bad_days_are_400(planner_client, conversion, days, message):
    response = get(planner_client, "api_group_timeseries", conversion.group_id, days=days)
    assert (response.status_code, response.json()) == (400, {"error": message})


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("api_group_kpis", "group"),
        ("api_group_timeseries", "group"),
        ("api_item_kpis", "item"),
        ("api_item_timeseries", "item"),
    ],
)
def test_unknown_group_or_item_is_404(planner_client, conversion, name, what):
    response = get(planner_client, name, 987654)
    assert response.status_code == 404
    assert response.json() == {"error": f"There is no {what} 987654."}


def test_group_timeseries_body(planner_client, conversion):
    body = get(planner_client, "api_group_timeseries", conversion.group_id, days=3, as_of="2026-11-20").json()
    assert (body["group_id"], body["days"], body["start"], body["end"], body["location_id"]) == (
        conversion.group_id,
        3,
        "2026-11-17",
        "2026-11-20",
        "ALL",
    )
    assert body["on_hand"][-1] == {"date": "2026-11-20", "original_on_hand_ea": 100.0, "replacement_on_hand_ea": 40.0}
    assert body["burn"][0] == {
        "date": "2026-11-18",
        "original_burn_ea_per_day": 4.0,
        "replacement_burn_ea_per_day": 0.0,
    }
    assert body["po_weekly"] == [
        {
            "date": "2026-11-16",
            "original_po_qty": 5.0,
            "original_po_spend": 15.0,
            "replacement_po_qty": 0.0,
            "replacement_po_spend": 0.0,
        }
    ]


def test_item_kpis_and_timeseries_bodies(planner_client, conversion):
    body = get(planner_client, "api_item_kpis", conversion.a.pk, as_of="2026-11-20", location_id="1001").json()
    assert (body["item_id"], body["erp_item_code"], body["role"], body["group_id"]) == (
        conversion.a.pk,
        "GLV-A",
        "original",
        conversion.group_id,
    )
    assert (body["on_hand_ea"], body["burn_ea_per_day"], body["coverage_days"], body["po_qty_90d"]) == (
        100.0,
        4.0,
        25.0,
        21.0,
    )
    assert body["locations"] == [
        {
            "location_id": 1001,
            "location_name": "PAR 1001",
            "location_type": "par",
            "on_hand_ea": 100.0,
            "burn_ea_per_day": 4.0,
            "coverage_days": 25.0,
            "run_out_date": "2026-12-15",
            "run_out_beyond_horizon": False,
        }
    ]
    series = get(planner_client, "api_item_timeseries", conversion.a.pk, as_of="2026-11-20", days=3).json()
    assert [p["on_hand_ea"] for p in series["on_hand"]] == [110.0, 105.0, 100.0]


def test_the_schema_documents_the_real_shapes():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    kpis = schema["paths"]["/api/groups/{group_id}/kpis"]["get"]
    assert {"200", "400", "401", "404"} <= set(kpis["responses"])
    assert [p["name"] for p in kpis["parameters"] if p["in"] == "query"] == ["as_of", "location_id"]
    body = schema["components"]["schemas"]["GroupKpis"]["properties"]
    assert {"group_id", "as_of", "location_id", "original", "replacement", "readiness_pct", "items"} <= set(body)
    block = schema["components"]["schemas"]["KpiBlock"]
    assert block["properties"]["coverage_days"] == {
        "type": "number",
        "format": "double",
        "nullable": True,
        "description": "on_hand_ea / burn_ea_per_day; null when burn is 0.",
    }
    assert schema["components"]["schemas"]["Error"]["properties"] == {"error": {"type": "string"}}
    assert "/api/items/{item_id}/timeseries" in schema["paths"]


@pytest.mark.parametrize("name", ["api_group_kpis", "api_group_timeseries"])
def test_group_api_queries_do_not_grow(planner_client, conversion, django_assert_max_num_queries, name):
    with django_assert_max_num_queries(12) as small:
        assert get(planner_client, name, conversion.group_id, **PARAMS).status_code == 200
    grow(conversion, members=6, locations=5, days=30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert get(planner_client, name, conversion.group_id, **PARAMS).status_code == 200


def test_overview_api_queries_do_not_grow(
    planner_client, conversion, django_assert_num_queries, django_assert_max_num_queries
):
    url = reverse("dashboard:api_overview")
    # The first read of the day computes every group's daily figures (dashboard.figures) first.
    with django_assert_num_queries(20):
        assert planner_client.get(url, PARAMS).status_code == 200
    # Then: the session and its user, the location choices, the groups due (none), the active groups' pooled sums,
    # the top groups' rows.
    with django_assert_num_queries(6):
        assert planner_client.get(url, PARAMS).status_code == 200
    grow(conversion, members=6, locations=5, days=30)
    # The grown group's stamp moved: its row is refreshed first, in a savepoint (the groups counted, its
    # stamp, KPIs, stranded stock, leakage, stages, outcome (4), upsert): 14 more, for one group or a thousand.
    with django_assert_num_queries(20):
        assert planner_client.get(url, PARAMS).status_code == 200
    with django_assert_num_queries(6):
        assert planner_client.get(url, PARAMS).status_code == 200
    # A past day is computed live, whatever the rows.
    with django_assert_max_num_queries(16) as small:
        assert planner_client.get(url, {**PARAMS, "as_of": "2026-11-19"}).status_code == 200
    grow(conversion, members=6, locations=5, days=30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert planner_client.get(url, {**PARAMS, "as_of": "2026-11-19"}).status_code == 200


@pytest.mark.parametrize("name", ["api_item_kpis", "api_item_timeseries"])
def test_item_api_queries_do_not_grow(planner_client, conversion, django_assert_max_num_queries, name):
    with django_assert_max_num_queries(12) as small:
        assert get(planner_client, name, conversion.a.pk, **PARAMS).status_code == 200
    grow(conversion, members=6, locations=5, days=30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert get(planner_client, name, conversion.a.pk, **PARAMS).status_code == 200


def test_group_kpis_carry_the_outcome(planner_client, conversion):
    outcome = get(planner_client, "api_group_kpis", conversion.group_id, **PARAMS).json()["outcome"]
    assert set(outcome) == set(OUTCOME_FIELDS)
    assert (outcome["demand_equiv_per_day"], outcome["supply_equiv"], outcome["compliance_pct"]) == (13.0, 240.0, 90.09)
    assert (outcome["p_o"], outcome["p_r"]) == (1.00689, 0.25)  # 1023 / 1016; C 25 $ / 100
    # C's line on 11-01 is after the start: 100 x (p_o - 0.25)
    assert outcome["realised_savings"] == pytest.approx(100 * (1023 / 1016 - 0.25), abs=1e-5)


def test_overview_api(planner_client, conversion):
    response = planner_client.get(reverse("dashboard:api_overview"), {**PARAMS, "location_id": "1001"})
    assert response.status_code == 200
    body = response.json()
    assert (body["active_groups"], body["location_id"], body["original"]["on_hand_ea"]) == (3, 1001, 140.0)
    # At L1: G demand A 4 + B 3 + C 5, G2 P 2; supply 130 + 40 + 10; compliance pooled over started G only
    assert body["outcome"] | {"projected_annual_savings": None, "realised_savings": None} == {
        "demand_equiv_per_day": 14.0,
        "supply_equiv": 180.0,
        "combined_coverage_days": 12.86,
        "cutover_coverage_days": 2.86,
        "compliance_pct": 90.09,
        "p_o": None,
        "p_r": None,
        "projected_annual_savings": None,
        "realised_savings": None,
    }
    top = {group["group_id"]: group for group in body["top_groups"]}
    # At one location the top groups are those stocked or burning there: not the empty group.
    assert set(top) == {conversion.group_id, conversion.second_id}
    assert top[conversion.second_id]["outcome"]["compliance_pct"] is None  # no start date
    assert body["outcome"]["realised_savings"] == top[conversion.group_id]["outcome"]["realised_savings"]


def test_overview_api_bad_parameter(planner_client, db):
    response = planner_client.get(reverse("dashboard:api_overview"), {"as_of": "2026-13-01"})
    assert response.status_code == 400
    assert response.json() == {"error": "The “as of” day must be a date written YYYY-MM-DD, e.g. 2026-11-20."}

"""The dashboard pages, their htmx fragments and downloads: what a planner sees, in a constant number of queries."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from dashboard.exports import EXPORTS
from plmtracker.models import ItemLocation, OnHandSnapshot
from tests.dashboard.conftest import AS_OF
from tests.dashboard.growth import grow
from tests.factories import ItemLocationFactory

pytestmark = pytest.mark.django_db

PARAMS = {"as_of": AS_OF.isoformat(), "location_id": "ALL"}
HTMX = {"HX-Request": "true"}


def kpi(html: str, key: str) -> str:
    start = html.index(f'data-kpi="{key}">') + len(f'data-kpi="{key}">')
    return html[start : html.index("<", start)]


def test_home_goes_to_the_dashboard(planner_client):
    response = planner_client.get("/")
    assert (response.status_code, response["Location"]) == (302, reverse("dashboard:overview"))


def test_overview_cards_and_top_groups(planner_client, conversion):
    response = planner_client.get(reverse("dashboard:overview"), PARAMS)
    html = response.content.decode()
    assert response.status_code == 200
    assert kpi(html, "active_groups") == "3"
    assert kpi(html, "items_impacted") == "6"
    assert kpi(html, "readiness_pct") == "25.0%"
    assert kpi(html, "on_hand") == "210 / 45"
    assert kpi(html, "original_coverage_days") == "21.0 d"
    assert kpi(html, "replacement_coverage_days") == "9.0 d"
    assert 'hx-trigger="every 60s"' in html
    group_link = reverse("dashboard:group", args=[conversion.second_id])
    assert html.index(group_link) < html.index(reverse("dashboard:group", args=[conversion.group_id]))
    assert "$100.00" in html and "$40.00" in html
    assert "<!doctype html>" in html


def test_overview_fragment_for_htmx_has_no_layout(planner_client, conversion):
    response = planner_client.get(reverse("dashboard:overview"), {**PARAMS, "location_id": "1001"}, headers=HTMX)
    html = response.content.decode()
    assert "<!doctype html>" not in html and "navbar" not in html
    assert kpi(html, "on_hand") == "140 / 40"
    assert kpi(html, "readiness_pct") == "50.0%"


def test_overview_with_no_active_group_says_so(planner_client, db):
    html = planner_client.get(reverse("dashboard:overview")).content.decode()
    assert kpi(html, "active_groups") == "0"
    assert kpi(html, "readiness_pct") == "—"
    assert "No active conversion groups yet" in html


def test_a_bad_parameter_shows_the_reason(planner_client, conversion):
    response = planner_client.get(reverse("dashboard:group", args=[conversion.group_id]), {"as_of": "20-11-2026"})
    assert response.status_code == 400
    assert "The “as of” day must be a date written YYYY-MM-DD" in response.content.decode()


def test_group_page(planner_client, conversion):
    response = planner_client.get(reverse("dashboard:group", args=[conversion.group_id]), {**PARAMS, "days": "30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert kpi(html, "original_on_hand_ea") == "200"
    assert kpi(html, "original_burn_ea_per_day") == "8.00"
    assert kpi(html, "original_coverage_days") == "25.0 d"
    assert kpi(html, "original_po_spend_90d") == "$40.00"
    assert kpi(html, "replacement_coverage_days") == "8.0 d"
    assert kpi(html, "readiness_pct") == "33.3%"
    assert kpi(html, "run_out_date") == "2026-12-15"
    assert kpi(html, "stranded_ea") == "40 EA"
    assert kpi(html, "leakage_spend") == "$15.00"
    assert reverse("dashboard:item", args=[conversion.a.pk]) in html
    assert "no role" in html
    assert html.count("<canvas data-chart=") == 3
    assert 'id="chart-data"' in html
    assert "chart.umd.min.js" in html


def test_group_page_unknown_is_404(planner_client, db):
    response = planner_client.get(reverse("dashboard:group", args=[4321]))
    assert response.status_code == 404
    assert "There is no group 4321." in response.content.decode()


def test_empty_group_page(planner_client, conversion):
    html = planner_client.get(reverse("dashboard:group", args=[conversion.empty_id])).content.decode()
    assert "This group has no members yet: record a link on Collect" in html
    assert kpi(html, "original_coverage_days") == "—"


def test_item_page(planner_client, conversion):
    response = planner_client.get(reverse("dashboard:item", args=[conversion.a.pk]), {**PARAMS, "location_id": "1002"})
    html = response.content.decode()
    assert response.status_code == 200
    assert kpi(html, "original_on_hand_ea") == "50"
    assert kpi(html, "original_coverage_days") == "50.0 d"
    assert kpi(html, "run_out_date") == "2027-01-09"
    assert reverse("dashboard:group", args=[conversion.group_id]) in html
    assert planner_client.get(reverse("dashboard:item", args=[99999])).status_code == 404


def test_overview_export_lists_every_active_group(planner_client, conversion):
    response = planner_client.get(reverse("dashboard:overview_export", args=["csv"]), PARAMS)
    assert response["Content-Disposition"] == 'attachment; filename="dashboard_groups_2026-11-20.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["group_id", "status", "reason", "members", "original_po_spend_90d"]
    assert [(r[0], r[4]) for r in rows[1:]] == [
        (str(conversion.second_id), "100.0"),
        (str(conversion.group_id), "40.0"),
        (str(conversion.empty_id), "0.0"),
    ]
    assert rows[2][-1] == "33.33"


def test_group_member_export_as_xlsx(planner_client, conversion):
    response = planner_client.get(
        reverse("dashboard:group_export", args=[conversion.group_id, "xlsx"]), {**PARAMS, "location_id": "1001"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == tuple(EXPORTS["dashboard_group_members"](group_id=conversion.group_id)[0])
    assert [(r[2], r[4], r[5]) for r in rows[1:]] == [
        ("GLV-A", "original", 100),
        ("GLV-C", "replacement", 40),
        ("GLV-B", "original", 30),
        ("GLV-D", None, 0),
    ]


def test_exports_refuse_unknown_formats_and_groups(planner_client, conversion):
    assert planner_client.get(reverse("dashboard:overview_export", args=["pdf"])).status_code == 400
    assert planner_client.get(reverse("dashboard:group_export", args=[777, "csv"])).status_code == 404


def test_export_registry_takes_keyword_arguments(conversion):
    headers, rows = EXPORTS["dashboard_overview"](as_of=AS_OF, location_id=1001, unrelated="ignored")
    # At 1001, two of the three active groups have a member stocked or burning; the empty group is left out.
    assert headers[0] == "group_id" and len(list(rows)) == 2
    headers, rows = EXPORTS["dashboard_group_members"](as_of=AS_OF, group_id=conversion.group_id)
    assert [row[2] for row in rows] == ["GLV-A", "GLV-C", "GLV-B", "GLV-D"]
    with pytest.raises(ValueError, match="group_id is required"):
        EXPORTS["dashboard_group_members"](as_of=AS_OF)


PAGES = [
    ("dashboard:overview", None, {}),
    ("dashboard:overview", None, HTMX),
    ("dashboard:overview_export", "csv", {}),
    ("dashboard:group", "group", {}),
    ("dashboard:group", "group", HTMX),
    ("dashboard:group_export", "group-csv", {}),
    ("dashboard:item", "item", {}),
    ("dashboard:item", "item", HTMX),
]


def page_url(conversion, name, arg):
    args = {
        None: [],
        "csv": ["csv"],
        "group": [conversion.group_id],
        "group-csv": [conversion.group_id, "csv"],
        "item": [conversion.a.pk],
    }[arg]
    return reverse(name, args=args)


@pytest.mark.parametrize(("name", "arg", "headers"), PAGES)
def test_page_queries_do_not_grow(planner_client, conversion, django_assert_max_num_queries, name, arg, headers):
    url = page_url(conversion, name, arg)

    def fetch():
        response = planner_client.get(url, PARAMS, headers=headers)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)

    with django_assert_max_num_queries(16) as small:
        fetch()
    grow(conversion, members=6, locations=5, days=30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        fetch()


def test_snapshot_on_hand_records_the_day_once(conversion, capsys):
    call_command("snapshot_on_hand", "--date", "2026-11-21")
    assert "On-hand snapshot for 2026-11-21: 10 item locations recorded, 0 updated" in capsys.readouterr().out
    call_command("snapshot_on_hand", "--date", "2026-11-21")
    assert "0 item locations recorded, 0 updated" in capsys.readouterr().out
    assert OnHandSnapshot.objects.filter(snapshot_date=date(2026, 11, 21)).count() == 10
    ItemLocationFactory(item=conversion.c, location=conversion.locations[3], on_hand_ea=3)
    ItemLocation.objects.filter(item=conversion.a, location_id=1001).update(on_hand_ea=90)
    call_command("snapshot_on_hand", "--date", "2026-11-21")
    assert "1 item locations recorded, 1 updated" in capsys.readouterr().out
    snapshot = OnHandSnapshot.objects.get(snapshot_date=date(2026, 11, 21), item=conversion.a, location_id=1001)
    assert snapshot.on_hand_ea == 90


def test_snapshot_on_hand_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="--date must be a date written YYYY-MM-DD"):
        call_command("snapshot_on_hand", "--date", "21/11/2026")

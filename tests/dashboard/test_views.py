"""The dashboard pages, their htmx fragments and downloads: what a planner sees, in a constant number of queries."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from collector.models import ItemGroup
from dashboard.exports import EXPORTS
from dashboard.stages import STAGES
from plmtracker.inventory.models import ItemLocation, OnHandSnapshot
from tests.dashboard.conftest import AS_OF
from tests.dashboard.growth import grow
from tests.factories import ItemLocationFactory, PoLineFactory

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


def test_158_ea_at_a_par_location_with_no_burn_show_as_stranded_under_use_up(planner_client, conversion):
    """The new user's finding (issue 20): 158 EA of an original at a par location that burns none of it
    showed "Stranded 0 EA" under use_up. Nothing uses it within the horizon: all 158 EA are stranded."""
    location = conversion.locations[3]
    ItemLocationFactory(item=conversion.a, location=location, on_hand_ea=158, reorder_point=20)
    ItemLocationFactory(item=conversion.c, location=location, on_hand_ea=5, reorder_point=10)
    response = planner_client.get(
        reverse("dashboard:group", args=[conversion.group_id]), {**PARAMS, "location_id": location.pk}
    )
    html = response.content.decode()
    assert kpi(html, "stranded_ea") == "158 EA"
    assert "$474.00 not used within 365 days at today&#x27;s burn" in html  # A's latest price: $3
    # All locations: B@L3's 20 EA (no burn either) join them.
    html = planner_client.get(reverse("dashboard:group", args=[conversion.group_id]), PARAMS).content.decode()
    assert kpi(html, "stranded_ea") == "178 EA"


def test_a_bad_parameter_shows_the_reason(planner_client, conversion):
    response = planner_client.get(reverse("dashboard:group", args=[conversion.group_id]), {"as_of": "20-11-2026"})
    assert response.status_code == 400
    assert "The “as of” day must be a date written YYYY-MM-DD" in response.content.decode()


def test_group_page(planner_client, conversion):
    ItemGroup.objects.filter(group_id=conversion.group_id).update(use_up_policy="use_until_end")
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
    assert html.count("<canvas data-chart=") == 5  # on hand, burn, PO spend, compliance, stages
    assert 'id="chart-data"' in html
    # Conversion outcome (all ratios 1): demand 8 + 5, supply 200 + 40; compliance C 100 / (100 + A 2 + 4 + 5)
    assert kpi(html, "demand_equiv_per_day") == "13.00"
    assert kpi(html, "combined_coverage_days") == "18.5 d"
    assert kpi(html, "cutover_coverage_days") == "3.1 d"
    assert kpi(html, "compliance_pct") == "90.1%"
    assert kpi(html, "p_o") == "$1.0069"  # the year before 10-01: A 1000 $ / 1000, 20 $ / 10, B 3 $ / 6
    assert kpi(html, "p_r") == "$0.2500"
    # The charts span the 30 days asked for, not more.
    assert "Charts from 2026-10-21 to 2026-11-20" in html
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
    assert rows[0][:7] == ["group_id", "name", "title", "status", "reason", "members", "original_po_spend_90d"]
    assert [(r[0], r[6]) for r in rows[1:]] == [
        (str(conversion.second_id), "100.0"),
        (str(conversion.group_id), "40.0"),
        (str(conversion.empty_id), "0.0"),
    ]
    assert rows[2][-4:-2] == ["33.33", "33.33"]  # readiness_pct, setup_pct
    # Stranded under use_up (H 365): G's B@L3, 20 EA with no burn, at $0.50; G2's P burns its 10 EA in 5 days.
    assert rows[0][-2:] == ["stranded_ea", "stranded_value"]
    assert [r[-2:] for r in rows[1:]] == [["0.0", "0.0"], ["20.0", "10.0"], ["0.0", "0.0"]]
    a, c = conversion.a.description, conversion.c.description
    assert (rows[2][1], rows[2][2]) == ("", f"{a} -> {c}")  # no name: the derived title


def test_group_member_export_as_xlsx(planner_client, conversion):
    response = planner_client.get(
        reverse("dashboard:group_export", args=[conversion.group_id, "xlsx"]), {**PARAMS, "location_id": "1001"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == tuple(EXPORTS["dashboard_group_members"](group_id=conversion.group_id)[0])
    assert rows[1][1] == f"{conversion.a.description} -> {conversion.c.description}"  # group_title
    assert [(r[3], r[5], r[6]) for r in rows[1:]] == [
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
    assert [row[3] for row in rows] == ["GLV-A", "GLV-C", "GLV-B", "GLV-D"]
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


@pytest.mark.parametrize("as_of", ["2026-11-20", "2026-11-15"], ids=["today", "past"])
@pytest.mark.parametrize(("name", "arg", "headers"), PAGES)
def test_page_queries_do_not_grow(planner_client, conversion, django_assert_max_num_queries, name, arg, headers, as_of):
    url = page_url(conversion, name, arg)

    def fetch():
        response = planner_client.get(url, {**PARAMS, "as_of": as_of}, headers=headers)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)

    # The group page: its KPIs, the outcome (4), the trends (3), the compliance trend (2) and the kept daily
    # figures (1). The overview today: its first read of the day computes every group's row (nine statements,
    # the leakage among them) and writes them before it reads.
    with django_assert_max_num_queries(22) as small:
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


def chart_json(html: str) -> dict:
    start = html.index('<script id="chart-data" type="application/json">') + len(
        '<script id="chart-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_group_page_charts_span_the_chosen_days_and_compliance_starts_at_the_start(planner_client, conversion):
    html = planner_client.get(reverse("dashboard:group", args=[conversion.group_id]), PARAMS).content.decode()
    charts = chart_json(html)
    # "90 days" draws 90 days back from as_of, whatever the start date: 08-22 to 11-20
    assert charts["on_hand"]["labels"][0] == "2026-08-22" and charts["on_hand"]["labels"][-1] == "2026-11-20"
    assert len(charts["on_hand"]["labels"]) == 91 and charts["burn"]["labels"] == charts["on_hand"]["labels"]
    assert charts["po_weekly"]["labels"][0] == "2026-08-17"  # the Monday of 08-22's week
    assert len(charts["po_weekly"]["labels"]) == 14  # every week to 11-16's, none skipped
    originals = charts["po_weekly"]["datasets"][0]["data"]
    assert 0.0 in originals and None not in originals  # weeks without purchases: $0 spent
    # Every axis names its unit.
    assert {name: (c["x_title"], c["y_title"]) for name, c in charts.items()} == {
        "on_hand": ("Day", "On hand (EA)"),
        "burn": ("Day", "Burn (EA per day)"),
        "po_weekly": ("Week starting (Monday)", "PO spend (US$)"),
        "compliance": ("Week starting (Monday)", "Bought as replacement (%)"),
        "stages": ("Stage", "Locations"),
    }
    # Compliance only from the start date 10-01 (the week of Monday 09-28); a week without purchases is a gap.
    assert charts["compliance"]["labels"][0] == "2026-09-28" and charts["compliance"]["labels"][-1] == "2026-11-16"
    compliance = dict(zip(charts["compliance"]["labels"], charts["compliance"]["datasets"][0]["data"], strict=True))
    assert compliance["2026-10-26"] == 100.0  # C 100 on 11-01, nothing else that week
    assert compliance["2026-09-28"] == 0.0  # A 2 (10-01); B's 09-30 line is before the start
    assert None in compliance.values() and charts["compliance"]["gaps"] is True
    purchases = dict(zip(charts["compliance"]["labels"], charts["compliance"]["purchases"], strict=True))
    assert purchases["2026-10-26"].startswith("100 EA of replacements, 0 equivalent EA of originals")
    assert "from 2026-10-01 (the start date) to 2026-11-20" in html
    assert charts["stages"]["labels"] == ["Not set up", "Set up", "Ready", "Live", "Converted"]
    assert sum(charts["stages"]["datasets"][0]["data"]) == 3  # L1, L2, L3


def test_overview_stage_chart_and_outcome_cards(planner_client, conversion):
    html = planner_client.get(reverse("dashboard:overview"), PARAMS).content.decode()
    chart = chart_json(html)["stages"]
    assert len(chart["labels"]) == 3 and [ds["label"] for ds in chart["datasets"]][0] == "Not set up"
    assert kpi(html, "compliance_pct") == "90.1%"
    assert 'data-kpi="p_o"' not in html  # prices are per group


@pytest.mark.parametrize(("sort", "position"), [("compliance_pct", -1), ("-compliance_pct", 0)])
def test_overview_table_sorts_by_compliance(planner_client, conversion, sort, position):
    html = planner_client.get(reverse("dashboard:overview"), {**PARAMS, "sort": sort}).content.decode()
    body = html[html.index("<tbody") :]
    groups = [int(part.split("?")[0]) for part in body.split('href="/dashboard/groups/')[1:]]
    assert len(groups) == 3
    assert groups[position] == conversion.group_id  # 90.1 %; the other two have none (no start date)


def test_overview_table_sorts_by_savings(planner_client, conversion):
    PoLineFactory(item=conversion.q, po_date=AS_OF, qty_ea=1, price=1)  # G2 gets a p_r, but no p_o: still none
    html = planner_client.get(reverse("dashboard:overview"), {**PARAMS, "sort": "-realised_savings"}).content.decode()
    assert 'href="?as_of=2026-11-20&amp;location_id=ALL&amp;sort=realised_savings"' in html  # the header flips it
    body = html[html.index("<tbody") :]
    first = int(body.split('href="/dashboard/groups/')[1].split("?")[0])
    assert first == conversion.group_id


def test_group_page_shows_title_stages_flags_and_counts(planner_client, conversion, staged):
    ItemGroup.objects.filter(group_id=staged.group_id).update(name="Exam gloves to nitrile")
    html = planner_client.get(reverse("dashboard:group", args=[staged.group_id]), PARAMS).content.decode()
    assert "<title>Exam gloves to nitrile" in html
    assert '<li class="breadcrumb-item active" aria-current="page">Exam gloves to nitrile</li>' in html
    assert [html.count(f'data-stage="{stage}"') for stage in STAGES] == [1, 2, 1, 1, 2]
    assert (html.count('data-flag="late"'), html.count('data-flag="at_risk"')) == (1, 1)
    # The header counts L1-L6, where the original is stocked; L7 (only the replacement) is listed and marked.
    assert 'data-stage-count="converted">Converted 1</span>' in html
    assert 'data-stage-count="late">1 late</span>' in html
    assert 'data-counted="6"' in html and 'data-replacement-only="1"' in html
    assert html.count('data-flag="not_counted"') == 1
    assert "✔" not in html and "✘" not in html
    assert "on hand today, from the stock records" in html
    assert kpi(html, "readiness_pct") == "50.0%"  # L1, L5, L6 of the originals' L1-L6


def test_pages_say_a_past_as_of_reads_the_snapshots(planner_client, conversion):
    past = {**PARAMS, "as_of": "2026-11-19"}
    html = planner_client.get(reverse("dashboard:group", args=[conversion.group_id]), past).content.decode()
    assert "on hand as of the snapshot of 2026-11-19" in html
    assert kpi(html, "original_on_hand_ea") == "105"  # A@L1's snapshot of 11-19; A@L2, B: none, so 0
    html = planner_client.get(reverse("dashboard:item", args=[conversion.b.pk]), past).content.decode()
    assert "on hand as of 2026-11-19: no snapshot on or before it, so 0" in html
    html = planner_client.get(reverse("dashboard:overview"), past).content.decode()
    assert "on hand as of the snapshot of 2026-11-19" in html


def test_overview_table_shows_group_titles(planner_client, conversion):
    ItemGroup.objects.filter(group_id=conversion.second_id).update(name="Suction liners")
    html = planner_client.get(reverse("dashboard:overview"), PARAMS).content.decode()
    assert ">Suction liners</a>" in html
    assert f">{conversion.a.description} -&gt; {conversion.c.description}</a>" in html


@pytest.mark.parametrize("sort", ["x.y", "-", "--compliance_pct", "outcome__p_o", "reason", "compliance_pct,x"])
def test_overview_ignores_a_sort_it_does_not_offer(planner_client, conversion, sort):
    response = planner_client.get(reverse("dashboard:overview"), {**PARAMS, "sort": sort})
    assert response.status_code == 200

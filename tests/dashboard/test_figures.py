"""The kept daily figures give the overview exactly what the live computation gives."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from dashboard.figures import selectors
from dashboard.figures.check import check_figures
from dashboard.figures.services import due_groups, ensure_fresh, refresh_figures
from dashboard.models import DailyFigures
from dashboard.queries import Filters
from dashboard.queries.outcomes import overview as live_overview
from dashboard.stages import STAGE_LABELS, STAGES
from tests.dashboard.conftest import AS_OF

STAGE_KEYS = {label: stage for stage, label in STAGE_LABELS.items()}

TODAY = Filters(as_of=AS_OF)


def test_first_read_of_the_day_computes_every_group(conversion):
    assert not DailyFigures.objects.exists()
    assert selectors.overview(TODAY) == live_overview(TODAY)
    assert DailyFigures.objects.filter(day=AS_OF).count() == 4  # G, G2, the empty group and the draft
    assert due_groups(AS_OF) == []


def test_rows_carry_the_groups_figures(conversion):
    refresh_figures()
    row = DailyFigures.objects.get(group_id=conversion.group_id, day=AS_OF)
    live = live_overview(TODAY)["top_groups"]
    group = next(g for g in live if g["group_id"] == conversion.group_id)
    assert row.status == "active"
    assert row.readiness_pct == group["readiness_pct"]
    assert row.compliance_pct == group["outcome"]["compliance_pct"]
    assert row.cutover_coverage_days == group["outcome"]["cutover_coverage_days"]
    assert row.summary["original"] == group["original"]


def test_rows_carry_leakage_stranded_and_run_out_as_the_group_page_says_them(conversion):
    from collector.services import group_update
    from dashboard.queries import group_kpis

    # A cut-off before the fixture's orders (leakage), and an end date (stranded stock under use_until_end).
    group_update(group_id=conversion.group_id, last_order_date=AS_OF - timedelta(days=60))
    refresh_figures()
    checked = 0
    for row in DailyFigures.objects.filter(day=AS_OF):
        live = group_kpis(row.group_id, TODAY)
        assert (row.leakage_po_qty, row.leakage_po_spend) == (live["leakage"]["po_qty"], live["leakage"]["po_spend"])
        assert (row.stranded_on_hand_ea, row.stranded_value) == (
            live["stranded"]["on_hand_ea"],
            live["stranded"]["value"],
        )
        assert row.original_run_out_date == live["run_out_date"]
        assert row.original_run_out_beyond_horizon == live["run_out_beyond_horizon"]
        checked += 1
    assert checked == 4
    row = DailyFigures.objects.get(group_id=conversion.group_id, day=AS_OF)
    assert row.leakage_po_qty > 0 and row.leakage_po_spend > 0  # the fixture's originals ordered after the cut-off
    assert row.original_run_out_date is not None


def test_a_group_change_makes_its_row_due_and_the_next_read_refreshes_it(conversion):
    from collector.services import group_update

    refresh_figures()
    group_update(group_id=conversion.group_id, status="retired")
    assert due_groups(AS_OF) == [conversion.group_id]
    overview = selectors.overview(TODAY)
    assert overview == live_overview(TODAY)
    assert conversion.group_id not in [g["group_id"] for g in overview["top_groups"]]
    assert DailyFigures.objects.get(group_id=conversion.group_id, day=AS_OF).status == "retired"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps stamps as text")
def test_a_group_stamped_on_a_whole_second_is_not_due_after_its_refresh(conversion):
    with connection.cursor() as cursor:  # as the database stamps a change: with its milliseconds, here .000
        cursor.execute(
            "UPDATE item_group SET updated_at = '2026-12-07 05:26:16.000' WHERE group_id = %s", [conversion.group_id]
        )
    refresh_figures()
    assert due_groups(AS_OF) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE item_group SET updated_at = '2026-12-07 05:26:16.001' WHERE group_id = %s", [conversion.group_id]
        )
    assert due_groups(AS_OF) == [conversion.group_id]


def test_a_past_day_and_one_location_are_not_served_from_rows():
    assert selectors.served_from_rows(TODAY)
    assert not selectors.served_from_rows(Filters(as_of=AS_OF - timedelta(days=1)))
    assert not selectors.served_from_rows(Filters(as_of=AS_OF, location_id=1001))


def test_check_facts_is_clean_after_a_refresh_and_lists_a_changed_figure(conversion):
    refresh_figures()
    out = StringIO()
    call_command("check_facts", stdout=out)
    assert "4 groups checked, no differences" in out.getvalue()
    kept = DailyFigures.objects.filter(group_id=conversion.group_id, day=AS_OF)
    kept.update(leakage_po_qty=-1, stranded_value=-1, original_run_out_beyond_horizon=True)
    assert {d.what for d in check_figures().differences} == {
        "leakage_po_qty",
        "stranded_value",
        "original_run_out_beyond_horizon",
    }
    refresh_figures()
    # A change that announced nothing and moved no stamp: check_facts must see it.
    from plmtracker.inventory.models import ItemLocation

    ItemLocation.objects.filter(item=conversion.a, location_id=1001).update(on_hand_ea=1000)
    result = check_figures()
    assert {d.what for d in result.differences} >= {"summary.original", "original_on_hand_ea"}
    with pytest.raises(CommandError, match="differences"):
        call_command("check_facts", stdout=StringIO())


def test_refresh_facts_for_a_day_keeps_earlier_days(conversion):
    out = StringIO()
    call_command("refresh_facts", "--as-of", "2026-11-19", stdout=out)
    assert "Daily figures for 2026-11-19: 4 groups computed" in out.getvalue()
    ensure_fresh(AS_OF)
    assert DailyFigures.objects.filter(group_id=conversion.group_id).count() == 2
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("refresh_facts", "--as-of", "19/11/2026")


def test_group_figures_today_reads_many_groups(conversion):
    found = selectors.group_figures_today([conversion.group_id, 987654])
    assert list(found) == [conversion.group_id]
    assert found[conversion.group_id]["start_date"] == date(2026, 10, 1)


@pytest.fixture
def demo(monkeypatch, db):
    today = date(2026, 11, 20)
    monkeypatch.setattr("dashboard.queries.onhand.site_today", lambda: today)
    call_command("seed_demo", scale="small", seed=7, today=today, verbosity=0)
    return Filters(as_of=today)


def test_the_demo_overview_from_rows_equals_live(demo, planner_client):
    from django.urls import reverse

    from dashboard.serializers import OverviewSerializer

    live = live_overview(demo)
    assert live["active_groups"] > 10 and live["top_groups"]
    assert selectors.overview(demo) == live
    served = planner_client.get(reverse("dashboard:api_overview"), {"as_of": demo.as_of.isoformat()}).json()
    assert served == json.loads(json.dumps(OverviewSerializer(live).data, cls=DjangoJSONEncoder))
    assert check_figures(demo.as_of).differences == []


def test_group_page_draws_the_kept_days_and_says_where_they_start(planner_client, conversion):
    from django.urls import reverse

    from collector.services import group_update

    url = reverse("dashboard:group", args=[conversion.group_id])
    html = planner_client.get(url, {"as_of": AS_OF.isoformat()}).content.decode()
    assert "No daily figures kept for this group up to 2026-11-20 yet" in html
    call_command("refresh_facts", "--as-of", "2026-11-18")
    group_update(group_id=conversion.group_id, start_date=date(2026, 11, 19))  # compliance changes from here
    call_command("refresh_facts", "--as-of", "2026-11-19")
    response = planner_client.get(url, {"as_of": AS_OF.isoformat()})
    html = response.content.decode()
    assert "from 2026-11-18 (the first kept day" in html
    charts = response.context["chart_data"]
    assert charts["history_progress"]["labels"] == ["2026-11-18", "2026-11-19"]
    compliance, readiness = charts["history_progress"]["datasets"]
    kept = DailyFigures.objects.filter(group_id=conversion.group_id).order_by("day")
    assert compliance["data"] == [row.compliance_pct for row in kept]
    assert readiness["data"] == [row.readiness_pct for row in kept]
    assert charts["history_savings"]["datasets"][0]["data"] == [row.realised_savings for row in kept]
    # A day before the rows start draws nothing.
    early = planner_client.get(url, {"as_of": "2026-11-17"}).content.decode()
    assert "No daily figures kept for this group up to 2026-11-17 yet" in early


def test_overview_draws_the_stage_share_per_kept_day(planner_client, conversion):
    from django.urls import reverse

    call_command("refresh_facts", "--as-of", "2026-11-19")
    response = planner_client.get(reverse("dashboard:overview"), {"as_of": AS_OF.isoformat()})
    assert "from 2026-11-19 (the first kept day" in response.content.decode()
    chart = response.context["chart_data"]["stage_share"]
    assert chart["labels"] == ["2026-11-19", "2026-11-20"]  # the read of today kept today's rows
    for n in range(2):
        day_total = sum(dataset["data"][n] or 0 for dataset in chart["datasets"])
        assert 99.5 < day_total < 100.5
    kept = DailyFigures.objects.filter(day=AS_OF, status="active")
    counted = {stage: sum(row.summary["stage_counts"][stage] for row in kept) for stage in STAGES}
    shares = {stage: round(100 * n / sum(counted.values()), 1) for stage, n in counted.items()}
    assert {STAGE_KEYS[d["label"]]: d["data"][1] for d in chart["datasets"]} == shares


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans; PostgreSQL plans by its statistics")
def test_the_stamp_check_and_the_top_rows_are_read_from_their_indexes(conversion):
    """The reads of every overview stay cheap: the stamp check, the pooled sums and the stage share read their
    indexes alone (no row), and the top groups come out of the rank index in order (no sort of every active row)."""
    from dashboard.figures.services import due_sql

    refresh_figures()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + due_sql(connection), [AS_OF.isoformat()])
        stamp_plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "SEARCH f USING COVERING INDEX daily_figures_stamp_idx (day=? AND group_id=?)" in stamp_plan
    with CaptureQueriesContext(connection) as statements:
        selectors.overview(TODAY)
    (top,) = [statement["sql"] for statement in statements if "ORDER BY" in statement["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + top)
        top_plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "USING INDEX daily_figures_rank_idx (day=? AND status=?)" in top_plan
    (pooled,) = [statement["sql"] for statement in statements if "SUM(" in statement["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + pooled)
        assert "USING COVERING INDEX daily_figures_pooled_idx" in " / ".join(row[-1] for row in cursor.fetchall())
    assert "TEMP B-TREE" not in top_plan
    share_plan = (
        DailyFigures.objects.filter(day__lte=AS_OF, status="active")
        .values("day")
        .annotate(converted=Sum("stage_converted"))
    )
    assert "USING COVERING INDEX daily_figures_stage_share_idx (status=? AND day<?)" in share_plan.explain()


def test_the_pooled_index_holds_every_column_the_overview_sums():
    from dashboard.figures.compute import COUNTS, OUTCOME_SUMS, ROLE_SUMS, SAVINGS
    from dashboard.models import POOLED_INDEX

    (index,) = [index for index in DailyFigures._meta.indexes if index.name == POOLED_INDEX]
    summed = {*ROLE_SUMS, *OUTCOME_SUMS, *COUNTS, *SAVINGS, "member_count"}
    assert set(index.fields) == {"day", "status", "group_id", "compliance_started", *summed}

"""The conversion outcome in a real browser: the compliance and stage charts draw, the cards show the API's figures."""

from datetime import date

import pytest
from django.core.management import call_command

from collector.models import ItemGroup
from dashboard.cards import money, pct
from dashboard.queries import Filters, group_kpis
from tests.dashboard.test_browser import CANVAS_DRAWN, kpi

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TODAY = date(2026, 11, 20)


@pytest.fixture
def demo(planner, monkeypatch):
    monkeypatch.setattr("dashboard.queries.onhand.site_today", lambda: TODAY)
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)


def test_outcome_cards_and_charts(page, log_in, planner, demo, screenshot):
    log_in(planner)
    page.goto(f"/dashboard?as_of={TODAY.isoformat()}")
    charts = page.evaluate(CANVAS_DRAWN)
    assert [c["name"] for c in charts] == ["stages", "stage_share"]  # stage_share: today's kept rows, one bar
    assert all(c["chart"] and c["drawn"] and c["points"] > 0 for c in charts), charts
    assert kpi(page, "compliance_pct").endswith("%") or kpi(page, "compliance_pct") == "—"
    screenshot("outcome_overview")

    page.locator("th a", has_text="Compliance").click()
    page.wait_for_url("**sort=compliance_pct**")
    assert page.locator("table tbody tr").count() == 25

    group_id = ItemGroup.objects.filter(status="active", start_date__lte=TODAY).order_by("group_id").first().pk
    page.goto(f"/dashboard/groups/{group_id}?as_of={TODAY.isoformat()}&days=30")
    outcome = group_kpis(group_id, Filters(TODAY))["outcome"]
    assert kpi(page, "compliance_pct") == pct(outcome["compliance_pct"])
    assert kpi(page, "realised_savings") == money(outcome["realised_savings"])
    charts = {c["name"]: c for c in page.evaluate(CANVAS_DRAWN)}
    history = {"history_progress", "history_coverage", "history_savings"}  # the row the overview kept today
    assert set(charts) == {"on_hand", "burn", "po_weekly", "compliance", "stages"} | history
    assert all(c["chart"] and c["drawn"] for c in charts.values()), charts
    labels = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("canvas[data-chart]")].map(
             (c) => [c.dataset.chart, Chart.getChart(c).data.labels]))"""
    )
    # One range for the page: the weekly charts share their weeks, the daily ones their days.
    assert labels["compliance"] == labels["po_weekly"]
    assert labels["on_hand"] == labels["burn"]
    page.locator("#outcome-cards").scroll_into_view_if_needed()
    screenshot("outcome_group")
    page.locator("canvas[data-chart=compliance]").scroll_into_view_if_needed()
    screenshot("outcome_group_charts")
    assert page.console_errors == []

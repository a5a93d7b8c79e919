"""A planner opens the dashboard in a real browser: cards show numbers, charts draw, selectors update by htmx."""

from datetime import date

import pytest
from django.core.management import call_command

from dashboard.cards import ea
from dashboard.queries import Filters, group_kpis, overview_groups, overview_kpis

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2026, 11, 20)

CANVAS_DRAWN = """
() => [...document.querySelectorAll("canvas[data-chart]")].map((canvas) => {
  const chart = Chart.getChart(canvas);
  const blank = document.createElement("canvas");
  blank.width = canvas.width;
  blank.height = canvas.height;
  return {
    name: canvas.dataset.chart,
    chart: !!chart,
    points: chart ? chart.data.datasets.reduce((n, ds) => n + ds.data.length, 0) : 0,
    drawn: canvas.width > 0 && canvas.toDataURL() !== blank.toDataURL(),
  };
})
"""


@pytest.fixture
def demo(planner):
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)


def kpi(page, key: str) -> str:
    return page.locator(f'[data-kpi="{key}"]').inner_text()


def test_overview_and_group_pages(page, log_in, planner, demo, screenshot):
    log_in(planner)
    page.goto(f"/dashboard?as_of={TODAY.isoformat()}")
    everywhere = overview_kpis(Filters(TODAY))
    assert kpi(page, "active_groups") == f"{everywhere['active_groups']:,}"
    assert (
        kpi(page, "on_hand")
        == f"{ea(everywhere['original']['on_hand_ea'])} / {ea(everywhere['replacement']['on_hand_ea'])}"
    )
    assert kpi(page, "readiness_pct").endswith("%")
    assert page.locator("table tbody tr").count() == 25
    screenshot("dashboard_overview")

    main_store = overview_kpis(Filters(TODAY, 1000))
    page.select_option("#id_location_id", "1000")
    expected = f"{ea(main_store['original']['on_hand_ea'])} / {ea(main_store['replacement']['on_hand_ea'])}"
    page.wait_for_function("(want) => document.querySelector('[data-kpi=on_hand]').textContent === want", arg=expected)
    assert "location_id=1000" in page.url
    assert main_store["original"]["on_hand_ea"] != everywhere["original"]["on_hand_ea"]

    top = overview_groups(Filters(TODAY, 1000), limit=1)[0]
    page.locator(f'a[href^="/dashboard/groups/{top["group_id"]}?"]').first.click()
    page.wait_for_url(f"**/dashboard/groups/{top['group_id']}?as_of=2026-11-20&location_id=1000&days=90")
    page.goto(f"/dashboard/groups/{top['group_id']}?as_of={TODAY.isoformat()}&days=60")
    group = group_kpis(top["group_id"], Filters(TODAY))
    assert kpi(page, "original_on_hand_ea") == ea(group["original"]["on_hand_ea"])
    assert kpi(page, "replacement_on_hand_ea") == ea(group["replacement"]["on_hand_ea"])
    charts = page.evaluate(CANVAS_DRAWN)
    kept = ["history_progress", "history_coverage", "history_savings"]  # the row the overview kept today
    assert [c["name"] for c in charts] == ["on_hand", "burn", "po_weekly", "compliance", "stages", *kept]
    assert all(c["chart"] and c["drawn"] and c["points"] > 0 for c in charts), charts
    screenshot("dashboard_group")

    before = kpi(page, "original_on_hand_ea")
    page.select_option("#id_location_id", "1000")
    page.wait_for_function(
        "(old) => document.querySelector('[data-kpi=original_on_hand_ea]').textContent !== old", arg=before
    )
    assert all(c["drawn"] for c in page.evaluate(CANVAS_DRAWN))

    page.locator("table a[href^='/dashboard/items/']").first.click()
    page.wait_for_url("**/dashboard/items/**")
    assert all(c["chart"] and c["drawn"] for c in page.evaluate(CANVAS_DRAWN))
    assert kpi(page, "run_out_date")
    screenshot("dashboard_item")
    assert page.console_errors == []

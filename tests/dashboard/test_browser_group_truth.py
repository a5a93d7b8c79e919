"""The group pages in a browser, on the demo: states in words, one readiness picture, charts with units,
a go-live preview, forms that keep what was typed; screenshots at 1400x900 and 390x844."""

from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from collector.models import ItemGroup
from collector.selectors import location_rows

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2026, 11, 20)
SIZES = (("1400", {"width": 1400, "height": 900}), ("390", {"width": 390, "height": 844}))
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"


@pytest.fixture
def demo(planner, steward):
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)


def a_group_with_empty_locations() -> ItemGroup:
    for group in ItemGroup.objects.filter(status="active").order_by("pk"):
        if any(r.stocked and r.go_live_date is None for r in location_rows(group)):
            return group
    raise AssertionError("the demo has an active group with stocked locations without a go-live")


def test_the_dashboard_group_page_at_both_sizes(demo, page, log_in, steward, screenshot):
    group = a_group_with_empty_locations()
    ItemGroup.objects.filter(pk=group.pk).update(end_date=date(2026, 11, 1))  # overdue
    log_in(steward)
    for width, size in SIZES:
        page.set_viewport_size(size)
        page.goto(f"/dashboard/groups/{group.pk}?as_of={TODAY}")
        expect(page.locator("#overdue-badge")).to_have_text("▲ Overdue")
        expect(page.locator("[data-stage-counts]")).to_contain_text("where an original is stocked")
        expect(page.locator("[data-kpi-state]").first).to_be_visible()
        titles = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll("canvas[data-chart]")].map((c) => {
                 const chart = Chart.getChart(c);
                 return [c.dataset.chart, chart ? chart.options.scales.y.title.text : null];
               }))"""
        )
        assert titles == {
            "on_hand": "On hand (EA)",
            "burn": "Burn (EA per day)",
            "po_weekly": "PO spend (US$)",
            "compliance": "Bought as replacement (%)",
            "stages": "Locations",
        }
        # Hovering a compliance point shows the purchases behind it.
        footer = page.evaluate(
            """() => {
                 const chart = Chart.getChart(document.querySelector('canvas[data-chart="compliance"]'));
                 const i = chart.data.datasets[0].data.findIndex((v) => v !== null);
                 return chart.options.plugins.tooltip.callbacks.footer([{ dataIndex: i }]);
               }"""
        )
        assert "EA of replacements" in footer and "equivalent EA of originals" in footer
        screenshot(f"group_truth_dashboard_{width}")
        assert page.evaluate(FITS), f"the group page scrolls sideways at {width} px"
    assert page.console_errors == []


def test_the_go_live_preview_and_a_refused_plan_keeps_its_input(demo, page, log_in, steward, screenshot):
    group = a_group_with_empty_locations()
    log_in(steward)
    for width, size in SIZES:
        page.set_viewport_size(size)
        page.goto(f"/groups/{group.pk}")
        page.fill("#fill-date", "2027-06-30")
        page.locator("#fill-date").dispatch_event("change")
        expect(page.locator("#fill-preview")).to_contain_text("Gives 2027-06-30 to")
        screenshot(f"group_truth_curation_{width}")
        assert page.evaluate(FITS), f"the curation page scrolls sideways at {width} px"
    ItemGroup.objects.filter(pk=group.pk).update(start_date=date(2025, 12, 1), end_date=date(2026, 1, 31))
    page.set_viewport_size(SIZES[0][1])
    page.goto(f"/groups/{group.pk}")
    expect(page.locator("#overdue-badge")).to_have_text("▲ Overdue")  # active, past its end
    # An end before the start is refused: the page comes back with the refusal beside the form, input kept.
    page.fill("#p-start", "2026-12-01")
    page.fill("#p-end", "2026-10-01")
    page.fill("#p-why", "Moved by the ward")
    page.locator("#plan-form").get_by_role("button", name="Save plan").click()
    expect(page.locator("#plan-form .kept-form-error")).to_contain_text("What you typed is still in the form")
    expect(page.locator("#p-end")).to_have_value("2026-10-01")
    expect(page.locator("#p-why")).to_have_value("Moved by the ward")
    assert ItemGroup.objects.get(pk=group.pk).end_date != date(2026, 10, 1)
    screenshot("group_truth_plan_refused_1400")
    page.goto(f"/groups/{group.pk}/history")
    expect(page.locator("h1")).to_contain_text("History of")
    expect(page.locator("nav.navbar, nav").first).to_be_visible()
    screenshot("group_truth_history_1400")
    assert page.console_errors == []

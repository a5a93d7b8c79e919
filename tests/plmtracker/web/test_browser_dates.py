"""One date language in a browser whose locale writes 11/20/2026: every date field, in the pages and the
admin, shows and takes YYYY-MM-DD, and its calendar button writes the pick back the same way."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from collector.models import ItemGroup
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TODAY = date(2026, 11, 20)


@pytest.fixture
def us_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def demo(monkeypatch, planner, steward):
    monkeypatch.setattr("dashboard.queries.onhand.site_today", lambda: TODAY)
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)


def sign_in(page, live_server, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def pick(page, field):
    """What the calendar button does once a day is chosen in the browser's picker (which no test can click)."""
    field.locator("xpath=..").locator(".day-button").click()
    field.locator("xpath=..").locator(".day-picker").evaluate(
        "(p) => { p.value = '2026-10-05'; p.dispatchEvent(new Event('change', { bubbles: true })); }"
    )


def test_date_fields_show_and_take_iso_days_in_an_en_us_browser(demo, us_page, live_server, steward):
    page = us_page
    assert page.evaluate("() => new Date(2026, 10, 20).toLocaleDateString()") == "11/20/2026"  # the locale is US
    sign_in(page, live_server, steward)

    # The dashboard's as-of day: shown ISO, typed ISO, picked ISO; a US-style day is refused on the spot.
    page.goto(f"/dashboard?as_of={TODAY.isoformat()}")
    as_of = page.locator("#id_as_of")
    expect(as_of).to_have_value("2026-11-20")
    assert as_of.evaluate("(i) => i.type") == "text"
    as_of.fill("2026-11-19")
    as_of.dispatch_event("change")
    page.wait_for_url(re.compile(r"as_of=2026-11-19"))
    as_of.fill("11/18/2026")
    assert as_of.evaluate("(i) => i.validity.patternMismatch")
    pick(page, as_of)
    expect(as_of).to_have_value("2026-10-05")
    page.wait_for_url(re.compile(r"as_of=2026-10-05"))

    # The groups filter: typed ISO, kept ISO after the search.
    page.goto(reverse("collector:groups"))
    since = page.locator("#id_updated_since")
    since.fill("2026-11-01")
    since.press("Enter")
    page.wait_for_url(re.compile(r"updated_since=2026-11-01"))
    expect(page.locator("#id_updated_since")).to_have_value("2026-11-01")

    # The group page's plan and go-live fields (written in its templates as type="date").
    group = ItemGroup.objects.filter(start_date__isnull=False, end_date__isnull=False).order_by("pk").first()
    page.goto(reverse("collector:group_detail", args=[group.pk]))
    start = page.locator("#p-start")
    expect(start).to_have_value(group.start_date.isoformat())
    dates = page.locator("input[name=go_live_date], #p-start, #p-last, #p-end")
    assert dates.count() >= 4
    assert set(dates.evaluate_all("(fs) => fs.map((f) => f.type + ' ' + f.placeholder)")) == {"text YYYY-MM-DD"}
    pick(page, start)
    expect(start).to_have_value("2026-10-05")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dates_group_plan_en_us.png"))

    # The admin: its own date fields and calendar write ISO too.
    page.goto(f"/admin/collector/itemgroup/{group.pk}/change/")
    expect(page.locator("#id_start_date")).to_have_value(group.start_date.isoformat())
    page.locator("#id_end_date").fill("")
    page.locator("#id_end_date").locator("xpath=..").get_by_role("link", name="Today").click()
    expect(page.locator("#id_end_date")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    assert page.console_errors == []

"""Fixtures shared by every test: empty caches, users by role, and a real browser."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from hypothesis import is_hypothesis_test

from accounts.roles import set_role
from tests.factories import UserFactory
from tests.live_requests import wait_until_idle

CHROMIUM = os.environ.get("PLM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


# The fast lane (`scripts/test.sh --fast`, pytest -m "not slow") leaves out the tests marked
# `slow`. Those that start something of their own are marked here by what they use, so a test
# added later is marked without anyone remembering to: a browser or a live server, the
# throwaway directory (slapd), or a transactional database (threads racing, the fuzz run
# against the live server, the demo seeding); and the property-based fuzzing (hypothesis
# draws hundreds of cases). The rest mark their module or test (gunicorn, megabyte files
# in fresh processes, fresh manage.py processes, 10,000-member groups).
SLOW_FIXTURES = {"page", "browser", "live_server", "ldap_server", "transactional_db"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "page" in fixtures:
            item.add_marker(pytest.mark.browser)
        database = item.get_closest_marker("django_db")
        transactional = database is not None and database.kwargs.get("transaction", False)
        fuzzed = is_hypothesis_test(getattr(item, "obj", None))
        if fixtures & SLOW_FIXTURES or transactional or fuzzed:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: what one test cached never decides what another sees."""
    for each in caches.all():
        each.clear()


@pytest.fixture
def planner(db):
    return UserFactory(email="planner@example.org", name="Pat Planner")


@pytest.fixture
def steward(db):
    user = UserFactory(email="steward@example.org", name="Sam Steward", is_staff=True)
    set_role(user, "steward")
    return user


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@example.org", name="Avery Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def planner_client(planner):
    client = Client()
    client.force_login(planner)
    return client


@pytest.fixture
def steward_client(steward):
    client = Client()
    client.force_login(steward)
    return client


@pytest.fixture(autouse=True)
def live_server_idle_before_flush(request):
    """A test with a live server: its database is flushed only once the server has answered every request
    the browser started (tests/live_requests.py). The database fixture is taken first, so this teardown
    runs before its flush."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    wait_until_idle()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Browser tests skipped: {CHROMIUM} is not installed. As root, `apt-get install chromium` "
            "(the test command does this when it can)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server; `page.console_errors` collects what the console says."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def log_in(page, live_server):
    """Sign a browser tab in as `user` without going through the login form."""

    def log_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return log_in


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under tests/artifacts/ and return its path."""

    def screenshot(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return screenshot

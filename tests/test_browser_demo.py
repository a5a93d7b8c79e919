"""The small demo as planner and steward see it: every page the navigation reaches speaks in words, writes
dates one way (YYYY-MM-DD, YYYY-MM-DD HH:MM), and the main pages fit a phone without sideways scrolling."""

import re
from collections import Counter, deque
from datetime import date
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from collector.models import GroupAlert, ItemGroupMember

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2026, 11, 20)
START = ["/dashboard", "/collect", "/groups", "/conflicts", "/collect/bulk", "/account"]
PER_SHAPE = 3  # pages of one address shape (e.g. /groups/<n>) visited
SKIP = re.compile(
    r"^/(static|api|accounts/logout|admin/logout|admin/jsi18n|healthz)|/delete/|export|\.(csv|xlsx)$|[?&]export="
)
RAW_CODES = ["manage.py", "OUT_DEG_GT1", "IN_DEG_GT1", "MANY_TO_MANY", "OutDeg", "InDeg", "M:N"]
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
WRONG_DATES = [
    re.compile(rf"\b({MONTHS})[a-z]*\.? \d{{1,2}}\b"),  # Nov. 20, November 20
    re.compile(rf"\b\d{{1,2}} ({MONTHS})[a-z]*\b"),  # 20 Nov
    re.compile(rf"\b({MONTHS})[a-z]* \d{{4}}\b"),  # November 2026
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 11/20/2026
    re.compile(r"\d{4}-\d{2}-\d{2}T\d"),  # ISO with a T
    re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b"),  # seconds
    re.compile(r"\b(a\.m\.|p\.m\.|midnight|noon)\b"),
]
DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])")
SHOWN_ATTRIBUTES = re.compile(r'\s(?:title|aria-label|placeholder|alt)="([^"]*)"')


@pytest.fixture
def demo(planner, steward):
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)


def shown_text(html: str) -> str:
    """What a person reads: the text between tags, plus tooltips and labels (not scripts, data or addresses)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    tips = " ".join(SHOWN_ATTRIBUTES.findall(html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + tips)


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client: Client) -> dict[str, str]:
    """Every page reachable from the navigation (links and htmx loads), a few of each address shape."""
    seen, pages, shapes = set(), {}, Counter()
    queue = deque(START + (["/admin/"] if client.get("/admin/").status_code == 200 else []))
    while queue:
        url = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        if shapes[shape(urlsplit(url).path)] >= PER_SHAPE:
            continue
        shapes[shape(urlsplit(url).path)] += 1
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        for target in re.findall(r'(?:href|hx-get)="([^"#]+)', html):
            absolute = urljoin(url, unescape(target))
            parts = urlsplit(absolute)
            if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


@pytest.fixture
def crawled(demo, planner, steward):
    result = {}
    for user in (planner, steward):
        client = Client()
        client.force_login(user)
        result[user.email] = crawl(client)
    return result


def test_no_internal_codes_commands_or_stray_date_formats_on_any_page(crawled):
    planner_pages, steward_pages = crawled["planner@example.org"], crawled["steward@example.org"]
    assert len(planner_pages) > 15 and len(steward_pages) > len(planner_pages)  # the steward also reaches the admin
    assert any(url.startswith("/admin/") for url in steward_pages)
    problems, dates = [], Counter()
    for who, pages in crawled.items():
        for url, html in pages.items():
            text = shown_text(html)
            problems += [f"{who} {url}: {code!r}" for code in RAW_CODES if code in text]
            for wrong in WRONG_DATES:
                problems += [f"{who} {url}: date {m.group(0)!r}" for m in wrong.finditer(text)]
            for m in DATE.finditer(text):
                year, month, day = map(int, m.groups())
                assert 1 <= month <= 12 and 1 <= day <= 31, (url, m.group(0))
                dates[url] += 1
            for m in TIME.finditer(text):  # a time is always written after its date
                if not re.search(r"\d{4}-\d{2}-\d{2} $", text[: m.start()]):
                    problems.append(f"{who} {url}: time without its date {text[max(0, m.start() - 20) : m.end()]!r}")
            for relative in re.finditer(r">([^<]*\b(ago|from now)\b[^<]*)<", html):
                before = html[: relative.start() + 1]
                opening = before[before.rfind("<") :]
                if not re.match(r'<time\b[^>]*title="\d{4}-\d{2}-\d{2} \d{2}:\d{2}"', opening):
                    problems.append(f"{who} {url}: relative time without the exact one {relative.group(1)!r}")
    assert problems == [], "\n".join(problems)
    # Dates are shown on the pages that carry them: the dashboard, groups, conflicts, history, the admin.
    assert sum(dates.values()) > 100
    for prefix in ("/dashboard", "/groups/", "/conflicts", "/admin/collector/relationaudit/"):
        assert any(count for url, count in dates.items() if url.startswith(prefix)), prefix


def test_every_demo_date_renders_in_one_format(demo, planner_client, steward_client):
    """Each kind of date the demo holds, as the pages render it, against the value in the database."""
    alert = GroupAlert.objects.filter(resolved_at__isnull=False).select_related("resolved_by").first()
    member = ItemGroupMember.objects.filter(group__start_date__isnull=False, group__status="active").first()
    group = member.group
    from django.utils import timezone

    def local(moment) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

    conflicts = steward_client.get("/conflicts", {"state": "all", "sort": "-noted_at"}).content.decode()
    assert local(alert.resolved_at) in conflicts or alert.resolved_at.strftime("%Y-%m-%d") in conflicts
    dashboard = planner_client.get(f"/dashboard/groups/{group.pk}", {"as_of": TODAY}).content.decode()
    assert f"started {group.start_date.isoformat()}" in dashboard
    detail = planner_client.get(f"/groups/{group.pk}").content.decode()
    assert f'title="{local(group.updated_at)}"' in detail and group.created_at.strftime("%Y-%m-%d") in detail
    admin = steward_client.get(f"/admin/collector/itemgroup/{group.pk}/change/").content.decode()
    assert local(member.added_at) in admin
    assert f'value="{group.start_date.isoformat()}"' in admin
    groups_csv = b"".join(steward_client.get("/groups", {"export": "csv"}).streaming_content).decode()
    assert re.search(r",\d{4}-\d{2}-\d{2} \d{2}:\d{2}\r?\n", groups_csv)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d", groups_csv)


PHONE = {"width": 390, "height": 844}


OVERFLOWING = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map((e) => `${e.tagName}#${e.id}.${e.className}`).slice(0, 8)"""


def fits(page, selector: str = "html") -> bool:
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s)].every((e) => e.scrollWidth <= e.clientWidth + 1)", selector
    )


def test_main_pages_fit_1400_and_390_pixels(demo, page, log_in, steward, screenshot):
    group_id = GroupAlert.objects.filter(resolved_at__isnull=True).values_list("item__membership__group_id", flat=True)
    group_id = sorted(group_id)[0]
    log_in(steward)
    for name, url in (
        ("overview", f"/dashboard?as_of={TODAY}"),
        ("overview_location", f"/dashboard?as_of={TODAY}&location_id=1000"),
        ("dashboard_group", f"/dashboard/groups/{group_id}?as_of={TODAY}"),
        ("group_page", f"/groups/{group_id}"),
        ("conflicts", "/conflicts"),
    ):
        for width, size in (("1400", {"width": 1400, "height": 900}), ("390", PHONE)):
            page.set_viewport_size(size)
            page.goto(url)
            screenshot(f"demo_{name}_{width}")
            assert fits(page), f"{url} scrolls sideways at {width} px: {page.evaluate(OVERFLOWING)}"
            assert fits(page, ".kpi-card"), f"a card of {url} overflows at {width} px"
            if name == "group_page":
                # Every member's curation (promote, demote, role and its Set button) fits without scrolling.
                assert fits(page, "#links .table-responsive"), f"the links' Remove buttons are cut at {width} px"
                assert fits(page, "#group-history .table-responsive"), f"the history is cut at {width} px"
                assert fits(page, "#members .table-responsive"), f"the members' actions are cut at {width} px"
                set_button = page.locator("#members").get_by_role("button", name="Set").first
                expect(set_button).to_be_visible()
                assert set_button.bounding_box()["x"] + set_button.bounding_box()["width"] <= size["width"]
                labels = page.locator("#group-graph-svg g.node text.desc")
                assert labels.count() > 0
                widest = page.evaluate(
                    "() => Math.max(...[...document.querySelectorAll('#group-graph-svg g.node text')]"
                    ".map((t) => t.getComputedTextLength()))"
                )
                assert widest <= 200 - 14, "a graph label runs out of its box"
            if name == "conflicts" and width == "1400":
                assert fits(page, "#conflicts-table .table-responsive"), "the conflicts' actions are cut at 1400 px"
            if name == "overview_location":
                expect(page.locator("#top-groups-note")).to_contain_text("PO lines carry no location")
    assert page.console_errors == []


def test_admin_reads_members_and_conflict_states_in_words(demo, page, log_in, steward, screenshot):
    group_id = sorted(
        GroupAlert.objects.filter(resolved_at__isnull=True).values_list("item__membership__group_id", flat=True)
    )[0]
    log_in(steward)
    page.goto(f"/admin/collector/itemgroup/{group_id}/change/")
    member = ItemGroupMember.objects.filter(group_id=group_id).select_related("item").order_by("sequence").first()
    expect(page.locator("#members-group")).to_contain_text(f"{member.item.erp_item_code} — {member.item.description}")
    screenshot("admin_group_members")
    page.goto("/admin/collector/groupalert/")
    page.locator("#changelist-filter").get_by_role("link", name="Resolved").click()
    expect(page).to_have_url(re.compile(r"state=resolved"))
    expect(page.locator("#result_list tbody")).to_contain_text("Kept as many-to-many")
    expect(page.locator("#result_list tbody")).not_to_contain_text("Open")
    assert page.evaluate("() => document.querySelector('#result_list').offsetWidth") <= page.evaluate(
        "() => document.querySelector('.results').clientWidth"
    ), "the conflict list is cut at 1400 px"
    screenshot("admin_conflicts_resolved")

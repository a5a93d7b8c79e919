"""Every page the navigation reaches, on a phone (390 px) and a desktop (1400 px): the page itself never
scrolls sideways (a wide table scrolls inside its own box, its key column fixed), and no written date
breaks across lines."""

from datetime import date

import pytest
from django.core.management import call_command

from collector.models import ItemGroup
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TODAY = date(2026, 11, 20)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}

# The navigation's links (the bar and the user menu), as the page lists them.
NAV_LINKS = """() => [...document.querySelectorAll("#main-nav a[href]")]
  .map((a) => new URL(a.href, location.href).pathname).filter((p) => p !== "/" && !p.endsWith("#"))"""

PAGE_WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"

# A wide table must scroll in a box of its own with its first (key) column fixed.
WIDE_TABLES = """() => [...document.querySelectorAll("main table.table")].filter((t) => t.offsetParent).map((t) => {
  const box = t.closest(".table-responsive") || t;
  const first = t.querySelector("tbody tr > :first-child, thead tr > :first-child");
  return {
    id: t.id || t.className,
    wide: t.scrollWidth > box.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1,
    scrolls: ["auto", "scroll"].includes(getComputedStyle(box).overflowX),
    inside: box.getBoundingClientRect().right <= document.documentElement.clientWidth + 1,
    key_fixed: !!first && getComputedStyle(first).position === "sticky",
  };
})"""

# Each YYYY-MM-DD written on the page, and whether it spans more than one line.
WRAPPED_DATES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    for (const m of node.data.matchAll(/\\d{4}-\\d{2}-\\d{2}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + 10);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (!rects.length) continue;
      const tall = Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top));
      if (tall > 1.5 * Math.max(...rects.map((r) => r.height))) out.push(`${m[0]} in ${node.parentElement.tagName}`);
    }
  }
  return out;
}"""


@pytest.fixture
def demo(monkeypatch, planner, steward):
    monkeypatch.setattr("dashboard.queries.onhand.site_today", lambda: TODAY)
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)


def test_no_page_in_the_navigation_scrolls_sideways_on_a_phone(demo, page, log_in, steward):
    log_in(steward)
    page.goto("/dashboard")
    nav = page.evaluate(NAV_LINKS)
    for expected in ("/dashboard", "/collect", "/groups", "/conflicts", "/attention", "/collect/bulk", "/account"):
        assert expected in nav, nav
    assert any(path.startswith("/admin") for path in nav)
    group = ItemGroup.objects.filter(status="active").order_by("pk").first().pk
    # The pages the navigation lists, and a group as the overview and the groups list open it.
    pages = [*dict.fromkeys(nav), f"/dashboard/groups/{group}?as_of={TODAY}", f"/groups/{group}"]
    problems, wide_seen = [], 0
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for path in pages:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            scroll, client = page.evaluate(PAGE_WIDTH)
            if scroll > client:
                problems.append(f"{path} at {size['width']} px is {scroll} px wide")
            problems += [f"{path} at {size['width']} px: {d} breaks across lines" for d in page.evaluate(WRAPPED_DATES)]
            if size is PHONE and not path.startswith("/admin"):
                for table in page.evaluate(WIDE_TABLES):
                    if table["wide"]:
                        wide_seen += 1
                        if not (table["scrolls"] and table["inside"] and table["key_fixed"]):
                            problems.append(f"{path}: table {table['id']} is wide and {table}")
    assert problems == [], "\n".join(problems)
    assert wide_seen >= 5  # the groups, conflicts, attention and dashboard tables are wider than a phone
    assert page.console_errors == []


@pytest.mark.parametrize(("name", "path"), [("overview", f"/dashboard?as_of={TODAY}"), ("attention", "/attention")])
def test_screenshots_at_both_sizes(demo, page, log_in, planner, name, path):
    log_in(planner)
    ARTIFACTS.mkdir(exist_ok=True)
    for shot, size in ((f"{name}_1400x900", DESKTOP), (f"{name}_390x844", PHONE)):
        page.set_viewport_size(size)
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(PAGE_WIDTH)[0] <= size["width"]
        page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 20_000


def test_the_collect_preview_shows_what_each_member_does_on_a_phone(demo, page, log_in, planner):
    from collector.models import ItemGroupMember

    original = ItemGroupMember.objects.filter(role="original").order_by("group_id", "item_id").first()
    other = (
        ItemGroupMember.objects.filter(role="replacement")
        .exclude(group_id=original.group_id)
        .order_by("group_id", "item_id")
        .first()
    )
    log_in(planner)
    page.set_viewport_size(PHONE)
    page.goto(f"/collect?item={original.item_id}&replace={other.item_id}")
    moves = page.locator("#preview-members td", has_text=f"moves from group {other.group_id}")
    assert moves.count() >= 1
    box = moves.first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate(PAGE_WIDTH)[0] <= PHONE["width"]

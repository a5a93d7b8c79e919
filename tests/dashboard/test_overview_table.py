"""The overview's group table: an owner and an Overdue marker per group, long titles whole on hover,
and at 1280 px every column, the money included, inside the window."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from collector.models import ItemGroup
from collector.services import group_update
from tests.dashboard.conftest import AS_OF
from tests.factories import UserFactory

PARAMS = {"as_of": AS_OF.isoformat(), "location_id": "ALL"}


def row_of(html: str, group_id: int) -> str:
    start = html.index(f'href="/dashboard/groups/{group_id}?')
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


@pytest.mark.django_db
def test_rows_show_owner_overdue_and_the_whole_title_on_hover(planner_client, conversion):
    owner = UserFactory(name="Olive Owner")
    long_title = "Suction liners and canisters, all sizes, from the old supplier to the new regional contract (phase 2)"
    ItemGroup.objects.filter(group_id=conversion.group_id).update(owner=owner)
    ItemGroup.objects.filter(group_id=conversion.second_id).update(
        name=long_title.strip(), end_date=date(2026, 11, 19), reason="Backorder"
    )
    html = planner_client.get(reverse("dashboard:overview"), PARAMS).content.decode()

    first, second = row_of(html, conversion.group_id), row_of(html, conversion.second_id)
    assert 'title="Olive Owner">Olive Owner</span>' in first
    assert 'data-flag="overdue"' not in first  # ends 2026-12-20
    assert 'data-flag="overdue"' in second and 'title="Ended 2026-11-19, still active">Overdue' in second
    assert f'<div class="text-truncate" title="{long_title.strip()}">' in second
    assert "Backorder" in second
    # Ending on the as-of day is not overdue yet (changed as the plan form does: the kept figures follow).
    group_update(group_id=conversion.second_id, end_date=AS_OF)
    html = planner_client.get(reverse("dashboard:overview"), PARAMS).content.decode()
    assert 'data-flag="overdue"' not in row_of(html, conversion.second_id)


TODAY = date(2026, 11, 20)
FITS = """() => {
  const box = document.querySelector(".top-groups-table").closest(".table-responsive");
  const cells = [...document.querySelectorAll(".top-groups-table th")];
  return {
    scroll: box.scrollWidth - box.clientWidth,
    outside: cells.filter((c) => c.getBoundingClientRect().right > window.innerWidth).map((c) => c.innerText),
    tallest: Math.max(...[...document.querySelectorAll(".top-groups-table tbody td.num")]
      .map((c) => c.getBoundingClientRect().height)),
    line: parseFloat(getComputedStyle(document.querySelector(".top-groups-table td.num")).lineHeight),
  };
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 1400])
def test_overview_table_fits_the_window_with_the_money_visible(page, log_in, planner, monkeypatch, screenshot, width):
    monkeypatch.setattr("dashboard.queries.onhand.site_today", lambda: TODAY)
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)
    log_in(planner)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/dashboard?as_of={TODAY.isoformat()}")
    figures = page.evaluate(FITS)
    assert figures["scroll"] <= 0 and figures["outside"] == [], figures
    header = page.locator(".top-groups-table thead").inner_text()
    for money in ("Orig. PO $ 90d", "Compliance", "Projected savings $/yr", "Realised savings $"):
        assert money in header.replace("\n", " ")
    # A title cell is one line however long the title; the link keeps the whole of it.
    titles = page.locator(".top-groups-table td.group-cell .text-truncate:first-child")
    longest = max(titles.evaluate_all("(ts) => ts.map((t) => t.title)"), key=len)
    cell = titles.filter(has=page.locator(f'a:text-is("{longest}")'))
    assert cell.evaluate("(t) => t.scrollWidth > t.clientWidth")  # it is cut on screen ...
    assert cell.evaluate("(t) => t.getBoundingClientRect().height") < 30  # ... on one line
    assert figures["tallest"] < 3 * figures["line"]  # figures do not wrap (a row is two lines: title, reason)
    owners = page.locator(".top-groups-table td.owner-cell").all_inner_texts()
    assert len(owners) == 25 and all(owners)
    overdue = ItemGroup.objects.filter(status="active", end_date__lt=TODAY).values_list("group_id", flat=True)
    shown = page.locator('.top-groups-table [data-flag="overdue"]').count()
    assert 0 < shown <= len(overdue)
    screenshot(f"overview_{width}")


STAGE_LABELS = """() => {
  const chart = Chart.getChart(document.querySelector("canvas[data-chart=stages]"));
  const y = chart.scales.y;
  chart.ctx.save();
  chart.ctx.font = Chart.helpers.toFont(y.options.ticks.font).string;
  const widths = y.ticks.map((t) => chart.ctx.measureText(t.label).width);
  chart.ctx.restore();
  return { shown: y.ticks.map((t) => t.label), whole: chart.data.labels, widths, room: y.width, left: y.left };
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1400, 390])
def test_stage_chart_labels_are_cut_with_an_ellipsis_not_clipped(page, log_in, planner, monkeypatch, width):
    monkeypatch.setattr("dashboard.queries.onhand.site_today", lambda: TODAY)
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)
    log_in(planner)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/dashboard?as_of={TODAY.isoformat()}")
    labels = page.evaluate(STAGE_LABELS)
    assert len(labels["shown"]) == 10 and labels["left"] >= 0
    assert max(labels["widths"]) <= labels["room"], labels  # every label inside the axis, none clipped
    cut = [(shown, whole) for shown, whole in zip(labels["shown"], labels["whole"], strict=True) if shown != whole]
    assert cut, "the demo has titles too long for the axis"
    assert all(shown.endswith("…") and whole.startswith(shown[:-1]) for shown, whole in cut), cut


@pytest.mark.django_db
@pytest.mark.parametrize("sort", [None, "-projected_annual_savings", "compliance_pct"])
def test_the_lean_body_writes_what_django_tables2_writes(conversion, rf, sort):
    """The overview table's body, rendered once per column (plmtracker.web.tables.LeanBody), is the same HTML as
    django-tables2's own template gives: every figure, dash, link, flag and cell attribute."""
    import re

    from dashboard.figures.selectors import overview
    from dashboard.queries import Filters
    from dashboard.tables import TopGroupsTable

    ItemGroup.objects.filter(group_id=conversion.second_id).update(end_date=date(2026, 11, 19))
    groups = overview(Filters(as_of=AS_OF))["top_groups"]
    assert len(groups) >= 2 and any(g["outcome"]["compliance_pct"] is None for g in groups)  # a dash is drawn

    def body(template: str, rows=groups, **kwargs) -> str:
        table = TopGroupsTable(rows, query="as_of=x", order_by=sort, as_of=AS_OF, template_name=template, **kwargs)
        html = table.as_html(rf.get("/dashboard"))
        return re.sub(r"\s+", " ", html[html.index("<tbody") : html.index("</tbody>")])

    lean = body("partials/lean_table.html")
    assert lean == body("django_tables2/bootstrap5.html")
    assert 'data-flag="overdue"' in lean and '<td class="num">—</td>' in lean
    assert lean.count("<tr ") == len(groups) and lean.count("<td ") == len(groups) * 14
    for empty_text in (None, "No group"):
        assert body("partials/lean_table.html", [], empty_text=empty_text) == body(
            "django_tables2/bootstrap5.html", [], empty_text=empty_text
        )


def test_figures_are_written_as_they_are_only_when_escaping_changes_nothing(rf):
    """A figure column whose affix or default has markup characters is escaped like any cell; plain ones are not."""
    import django_tables2 as tables

    from dashboard.tables import NumberColumn
    from plmtracker.web.tables import LEAN_TEMPLATE, LeanBody

    class Figures(LeanBody, tables.Table):
        marked = NumberColumn("Marked", prefix="<b>")
        plain = NumberColumn("Plain", prefix="$", places=2)
        empty = NumberColumn("Empty", default="n/a & none")

        class Meta:
            template_name = LEAN_TEMPLATE

    table = Figures([{"marked": 5, "plain": -7, "empty": None}])
    assert [table.columns[name].column.escape_free for name in ("marked", "plain", "empty")] == [False, True, False]
    page = table.as_html(rf.get("/"))
    assert "&lt;b&gt;5" in page and "-$7.00" in page and "n/a &amp; none" in page and "<b>5" not in page

"""The groups list's table body, written by `plmtracker.web.tables.LeanBody` with cells in Python, is the HTML
django-tables2 writes with its own columns (templates, links, date columns) and template."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.utils import timezone

from collector import selectors, services
from collector.models import GROUP_STATUSES, USE_UP_POLICIES, ItemGroup
from collector.tables import GroupTable
from plmtracker.web.tables import PLAIN_FORMATS, DayColumn
from tests.collector.conftest import link

pytestmark = pytest.mark.django_db

GROUP_LINK = ("collector:group_detail", {"group_id": tables.A("group_id")})
NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}
DAY = {"td": {"class": "text-nowrap"}}
CONFLICT_COUNT = (
    '{% if value %}<a class="badge text-bg-danger text-decoration-none" hx-boost="false" href="{% url \'collector:'
    'conflicts\' %}?group={{ record.group_id }}" title="Open conflicts on its members">{{ value }}</a>{% else %}'
    '<span class="text-body-secondary">0</span>{% endif %}'
)


class DjangoTables2GroupTable(tables.Table):
    """The groups table as it was written before the lean body: django-tables2's own columns and template."""

    group_id = tables.Column("Group", linkify=GROUP_LINK, attrs={"a": {"hx-boost": "false"}})
    title = tables.Column(
        "Name", linkify=GROUP_LINK, attrs={"a": {"hx-boost": "false"}, "td": {"class": "group-title"}}
    )
    status = tables.TemplateColumn(
        template_code='{% include "collector/partials/_status_badge.html" with status=record.status %}'
    )
    conflict_count = tables.TemplateColumn(template_code=CONFLICT_COUNT, verbose_name="Open conflicts", attrs=NUMBER)
    start_date = tables.DateColumn(verbose_name="Start", format="Y-m-d", default="—", attrs=DAY)
    end_date = tables.DateColumn(verbose_name="End", format="Y-m-d", default="—", attrs=DAY)
    last_order_date = tables.DateColumn(verbose_name="Last order", format="Y-m-d", default="—", attrs=DAY)
    owner = tables.Column(order_by=("owner__name", "owner__email"), default="—")
    reason = tables.Column(default="—")
    member_count = tables.Column("Members", attrs=NUMBER)
    use_up_policy = tables.Column("Policy")
    updated_at = tables.DateTimeColumn(verbose_name="Updated", format="Y-m-d H:i")

    class Meta:
        model = ItemGroup
        fields = GroupTable.Meta.fields
        order_by = GroupTable.Meta.order_by
        attrs = GroupTable.Meta.attrs
        empty_text = GroupTable.Meta.empty_text


@pytest.fixture
def varied_groups(items, steward):
    """Groups with and without an owner, a reason, dates, conflicts, in every status and policy, one with a
    name that needs escaping."""
    g1 = link(items[0], items[1]).group_id
    link(items[0], items[2])  # items[0] is replaced by two: an open conflict
    g2 = link(items[3], items[4]).group_id
    g3 = link(items[5], items[6]).group_id
    services.group_update(group_id=g2, status="active", owner=steward)
    ids = [g1, g2, g3]
    policies = [p for p, _ in USE_UP_POLICIES]
    for n, (status, _) in enumerate(GROUP_STATUSES):
        policy = policies[n % len(policies)]
        group = ItemGroup.objects.create(
            name=f'Conversion "{n}" <b>',
            status=status,
            use_up_policy=policy,
            reason="" if n % 2 else None,
            start_date=date(2026, 1, 1 + n),
            end_date=date(2026, 6, 1 + n) if n % 2 else None,
            last_order_date=date(2026, 3, 1) if n % 3 else None,
        )
        ids.append(group.pk)
    # A time whose day differs in the site's time zone from UTC's, and a minute with a leading zero.
    ItemGroup.objects.filter(pk=g3).update(updated_at=datetime(2026, 11, 30, 23, 5, tzinfo=ZoneInfo("UTC")))
    ItemGroup.objects.filter(pk=g2).update(updated_at=timezone.now() - timedelta(days=30))
    ItemGroup.objects.filter(pk=g1).update(reason="Backorder <2027> & co")
    return ids


def body(table_class, request, sort) -> str:
    table = table_class(selectors.groups_with_counts(), order_by=sort)
    html = table.as_html(request)
    # django-tables2's template cells end with the partials' newline: whitespace only, collapsed.
    return re.sub(r"\s+</td>", "</td>", re.sub(r"\s+", " ", html[html.index("<tbody") : html.index("</tbody>")]))


@pytest.mark.parametrize("sort", ["-updated_at", "group_id", "-conflict_count", "owner", "status"])
@pytest.mark.parametrize("zone", ["UTC", "America/Chicago"])
def test_the_groups_lean_body_writes_what_django_tables2_writes(varied_groups, rf, settings, sort, zone):
    settings.TIME_ZONE = zone
    request = rf.get("/groups")
    lean = body(GroupTable, request, sort)
    assert lean == body(DjangoTables2GroupTable, request, sort)
    assert lean.count("<tr ") == len(varied_groups)
    g1 = varied_groups[0]
    assert f'<td ><a hx-boost="false" href="/groups/{g1}">{g1}</a></td>' in lean
    assert f'href="/conflicts?group={g1}" title="Open conflicts on its members">1</a></td>' in lean
    assert '<td class="num"><span class="text-body-secondary">0</span></td>' in lean
    assert "Backorder &lt;2027&gt; &amp; co" in lean and "Conversion &quot;0&quot; &lt;b&gt;" in lean
    assert '<td class="text-nowrap">—</td>' in lean and '<span class="badge status-active">Active</span>' in lean
    assert ("2026-11-30 23:05" in lean) == (zone == "UTC") and ("2026-11-30 17:05" in lean) == (zone != "UTC")


def test_the_groups_page_writes_its_table_through_the_lean_body(planner_client, varied_groups):
    page = planner_client.get("/groups", {"sort": "group_id"}).content.decode()
    html = page[page.index("<tbody") : page.index("</tbody>")]
    assert html.count("<tr ") == len(varied_groups)
    assert GroupTable.Meta.template_name == "partials/lean_table.html"
    assert f'<a hx-boost="false" href="/groups/{varied_groups[0]}">' in html


DAYS = [date(2026, 1, 2), date(987, 12, 31)]  # a year of three digits is padded as the date filter pads it
TIMES = [datetime(2026, 3, 4, 0, 7, tzinfo=ZoneInfo("UTC")), datetime(2026, 12, 31, 23, 59, 59, tzinfo=ZoneInfo("UTC"))]


@pytest.mark.parametrize(
    ("fmt", "value"), [(fmt, v) for fmt in sorted(PLAIN_FORMATS) for v in TIMES + ([] if "H" in fmt else DAYS)]
)
def test_a_day_column_writes_what_the_date_filter_writes(settings, fmt, value):
    assert set(PLAIN_FORMATS) == {"Y-m-d", "Y-m-d H:i"}  # a new format gets its cases here
    for zone in ("UTC", "Pacific/Auckland"):
        settings.TIME_ZONE = zone
        expected = Template('{{ value|date:"' + fmt + '" }}').render(Context({"value": value}))
        assert DayColumn(format=fmt).render(value, bound_column=None) == expected

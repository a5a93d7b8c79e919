"""The group page tells one story: the header, the readiness card, the location table and the stage chart
count the same locations (where an original is stocked); cards take their state from their values."""

import json
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.management import call_command

from collector.models import ItemGroup

TODAY = date(2026, 11, 20)


@pytest.fixture
def demo(db):
    call_command("seed_demo", scale="small", seed=7, today=TODAY, verbosity=0)


def header_counts(html: str) -> dict[str, int]:
    return {stage: int(n) for stage, n in re.findall(r'data-stage-count="(\w+)">[^<]*?(\d+)', html)}


def chart_counts(html: str) -> list[int]:
    data = json.loads(unescape(re.search(r'id="chart-data"[^>]*>(.*?)</script>', html, re.S).group(1)))
    return data["stages"]["datasets"][0]["data"]


def table_rows(html: str) -> tuple[list[str], int]:
    """The location table's stages of the counted rows, and how many rows are marked "only replacements"."""
    table = html[html.index("By location") :]
    rows = [row for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S) if "data-stage=" in row]
    counted = [re.search(r'data-stage="(\w+)"', row).group(1) for row in rows if 'data-flag="not_counted"' not in row]
    return counted, sum('data-flag="not_counted"' in row for row in rows)


def test_header_card_table_and_chart_count_the_same_locations_on_the_demo(demo, planner_client):
    stages = ["not_set_up", "set_up", "ready", "live", "converted"]
    replacement_only_seen = 0
    for group_id in ItemGroup.objects.order_by("pk").values_list("pk", flat=True):
        response = planner_client.get(f"/dashboard/groups/{group_id}?as_of={TODAY}")
        assert response.status_code == 200
        html = response.content.decode()
        card = re.search(r'data-kpi="readiness_pct">([^<]*)</div>\s*<div[^>]*>([^<]*)</div>', html)
        assert card, (group_id, html[html.find('readiness_pct">') : html.find('readiness_pct">') + 400])
        help_text = unescape(card.group(2))
        ready, counted = map(
            int, re.search(r"([\d,]+) of the ([\d,]+) locations where an original", help_text).groups()
        )
        header = header_counts(html)
        table_stages, marked = table_rows(html)
        counted_header = int(re.search(r'data-counted="(\d+)"', html).group(1))
        assert counted_header == counted, group_id
        if counted:
            assert [header[s] for s in stages] == chart_counts(html), group_id
            assert sum(header[s] for s in stages) == counted, group_id
            assert header["ready"] + header["live"] + header["converted"] == ready, group_id
        assert sorted(table_stages) == sorted(s for s in stages for _ in range(chart_counts(html)[stages.index(s)])), (
            group_id
        )
        shown_only = re.search(r'data-replacement-only="(\d+)"', html)
        assert (int(shown_only.group(1)) if shown_only else 0) == marked, group_id
        if marked and replacement_only_seen < 3:  # the go-live table on the curation page marks the same rows
            curation = planner_client.get(f"/groups/{group_id}").content.decode()
            assert curation.count('data-flag="not_counted"') == marked, group_id
        replacement_only_seen += marked
    assert replacement_only_seen, "the demo has locations that stock only replacements: the rule is exercised"


def test_cards_take_their_state_from_the_value_and_an_overdue_group_says_so(demo, planner_client):
    group = ItemGroup.objects.filter(status="active").order_by("pk").first()
    ItemGroup.objects.filter(pk=group.pk).update(end_date=date(2026, 11, 1))
    html = planner_client.get(f"/dashboard/groups/{group.pk}?as_of={TODAY}").content.decode()
    assert 'id="overdue-badge"' in html and "Overdue" in html
    states_shown = dict(re.findall(r'data-kpi-state="(\w+)"[^>]*><span aria-hidden="true">.</span> (\w+)<', html))
    values = dict(re.findall(r'data-kpi="(\w+)">([^<]*)<', html))
    stranded = float(values["stranded_ea"].removesuffix(" EA").replace(",", "") or 0)
    assert states_shown["stranded_ea"] == ("OK" if stranded == 0 else "Act")
    cutover = values["cutover_coverage_days"]
    if cutover != "—":
        days = float(cutover.removesuffix(" d").replace(",", ""))
        assert states_shown["cutover_coverage_days"] == ("Act" if days < 14 else "Watch" if days < 30 else "OK")
    ItemGroup.objects.filter(pk=group.pk).update(end_date=date(2026, 12, 31))
    assert (
        'id="overdue-badge"' not in planner_client.get(f"/dashboard/groups/{group.pk}?as_of={TODAY}").content.decode()
    )


def test_group_and_item_pages_speak_in_planners_words(demo, planner_client):
    from plmtracker.inventory.models import ItemLocation

    group = ItemGroup.objects.filter(status="active").order_by("pk").first()
    html = planner_client.get(f"/dashboard/groups/{group.pk}?as_of={TODAY}").content.decode()
    header = html[html.index("<h1") : html.index("data-stage-counts")]
    assert group.get_use_up_policy_display() in header and f"policy {group.use_up_policy}" not in header
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<script\b.*?</script>", " ", html, flags=re.S))
    assert "p_o" not in shown and "p_r" not in shown and "Baseline price, originals" in shown
    assert 'title="(baseline price - replacement price) x equivalent demand per day x 365"' in html
    row = ItemLocation.objects.filter(location__location_type="par").select_related("location").first()
    item_html = planner_client.get(f"/dashboard/items/{row.item_id}?as_of={TODAY}").content.decode()
    assert "PAR area" in item_html and "<td >par</td>" not in item_html and ">par<" not in item_html


def test_demo_on_hand_falls_no_faster_than_it_is_used(demo):
    """Day to day, a group's on-hand (summed per role, as its chart draws it) drops at most by what its
    members burn that day (the demo's daily use varies by 30 % around the burn rate, the rate by 15 %)."""
    from collections import defaultdict

    from collector.models import ItemGroupMember
    from plmtracker.inventory.models import BurnRateDaily, OnHandSnapshot

    member = dict(ItemGroupMember.objects.values_list("item_id", "group_id"))
    role = dict(ItemGroupMember.objects.values_list("item_id", "role"))
    level, burn, pairs = defaultdict(float), defaultdict(float), set()
    for day, item_id, location_id, on_hand in OnHandSnapshot.objects.values_list(
        "snapshot_date", "item_id", "location_id", "on_hand_ea"
    ):
        level[(member[item_id], role[item_id], day)] += float(on_hand)
        pairs.add((item_id, location_id))
    for day, item_id, location_id, rate in BurnRateDaily.objects.filter(item_id__in=member).values_list(
        "as_of_date", "item_id", "location_id", "burnrate_ea_per_day"
    ):
        if (item_id, location_id) in pairs:
            burn[(member[item_id], role[item_id], day)] += float(rate)
    checked = 0
    for (group_id, kind, day), today in level.items():
        yesterday = level.get((group_id, kind, day - timedelta(days=1)))
        if yesterday is None:
            continue
        checked += 1
        used = yesterday - today
        assert used <= 1.6 * burn[(group_id, kind, day)] + 0.01, (group_id, kind, day, yesterday, today)
    assert checked > 1000

"""Dashboard: the group KPI API for the largest group and the overview page, each against one hand-written
SQL statement computing the same numbers (checked to match) on the same database in the same run.

For each, three figures: the whole HTTP request through Django (session, auth, DRF or template), the
dashboard's own SQL statements replayed alone (the database work), and the hand-written statement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench._dashboard_sql import GROUP, OVERVIEW, YEAR_BEFORE_B
from bench.core import Context, Result, queries, seconds, sql_seconds
from collector.models import ItemGroup, ItemGroupMember
from dashboard.queries import Filters, group_kpis
from dashboard.queries.outcomes import overview

TARGET = 2.0


def _same(a: Any, b: Any, places: int = 6) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=0.51 * 10**-places)


def _check(label: str, ours: Any, theirs: Any, places: int = 6) -> None:
    """Ours (rounded to `places` decimals) against the hand-written SQL's unrounded figure."""
    if not _same(ours, theirs, places):
        raise AssertionError(f"{label}: ours {ours!r} != hand-written SQL {theirs!r}")


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _our_sql_seconds(fn) -> tuple[float, int]:
    """The dashboard's statements for one call, replayed alone: the sum of their median times."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    statements = [q["sql"] for q in captured.captured_queries]
    return sum(sql_seconds(sql) for sql in statements), len(statements)


def largest_group() -> int:
    """The group with the most members (then the most stock pairs) that has start and end dates."""
    biggest = (
        ItemGroupMember.objects.filter(group__start_date__isnull=False, group__end_date__isnull=False)
        .values("group_id")
        .annotate(members=Count("item_id", distinct=True), stocked=Count("item__locations"))
        .order_by("-members", "-stocked", "group_id")
        .first()
    )
    return biggest["group_id"]


def _stranded_days(group: ItemGroup, today: date) -> int:
    """The days of burn before what is left is stranded (docs/DESIGN.md, "Stranded stock"), written out here
    so the bench does not borrow the rule it checks: use_up H, else the days to the end date."""
    if group.use_up_policy == "use_up":
        return settings.PLM_USE_UP_HORIZON_DAYS
    return max(0, (group.end_date - today).days)


def _check_group(body: dict, rows: list[tuple]) -> None:
    items = {row["item_id"]: row for row in body["items"]}
    roles = {"original": body["original"], "replacement": body["replacement"]}
    locations = {row["location_id"]: row for row in body["locations"]}
    if len(locations) != sum(1 for row in rows if row[0] == "location"):
        raise AssertionError("the locations differ from the hand-written SQL's")
    for kind, key, role, on_hand, burn, qty, spend in rows:
        if kind == "item":
            ours = items[key]
        elif kind == "role":
            ours = roles[role]
        elif kind == "readiness":
            _check("original locations", body["original_locations"], on_hand)
            _check("set-up locations", body["setup_locations"], burn)  # the SQL's count is setup_pct's
            continue
        elif kind == "location":
            loc = locations[key]
            _check(f"location {key} original on hand", loc["original_on_hand_ea"], on_hand)
            _check(f"location {key} original burn", loc["original_burn_ea_per_day"], burn)
            _check(f"location {key} replacement on hand", loc["replacement_on_hand_ea"], qty)
            continue
        elif kind == "stranded":
            # The hand-written SQL strands after the days it is given (`_stranded_days`): the horizon H for
            # use_up, the days to the end date for use_until_end; immediate's per-location days it leaves out.
            if body["stranded"]["policy"] != "immediate":
                _check("stranded EA", body["stranded"]["on_hand_ea"], on_hand or 0)
                _check("stranded value", body["stranded"]["value"], burn or 0)
            continue
        elif kind == "equiv":
            outcome = body["outcome"]
            _check("supply_equiv", outcome["supply_equiv"], on_hand or 0)
            _check("demand_equiv_per_day", outcome["demand_equiv_per_day"], burn or 0)
            _check("cutover_coverage_days", outcome["cutover_coverage_days"], _days(qty, burn), 2)
            _check("compliance_pct", outcome["compliance_pct"], spend, 2)
            continue
        elif kind == "savings":
            outcome = body["outcome"]
            for name, value in (("p_o", on_hand), ("p_r", burn), ("realised_savings", qty)):
                _check(name, outcome[name], value)
            _check("projected_annual_savings", outcome["projected_annual_savings"], spend)
            continue
        else:
            _check("leakage qty", body["leakage"]["po_qty"], on_hand or 0)
            _check("leakage spend", body["leakage"]["po_spend"], burn or 0)
            continue
        for name, value in (
            ("on_hand_ea", on_hand),
            ("burn_ea_per_day", burn),
            ("po_qty_90d", qty),
            ("po_spend_90d", spend),
        ):
            _check(f"{kind} {key or role} {name}", ours[name], value)


def _days(stock: Any, demand: Any) -> float | None:
    return float(stock) / float(demand) if demand else None


def _check_outcome(label: str, outcome: dict, supply, demand, compliance, projected, realised) -> None:
    _check(f"{label} supply_equiv", outcome["supply_equiv"], supply or 0)
    _check(f"{label} demand_equiv_per_day", outcome["demand_equiv_per_day"], demand or 0)
    _check(f"{label} combined_coverage_days", outcome["combined_coverage_days"], _days(supply, demand), 2)
    _check(f"{label} compliance_pct", outcome["compliance_pct"], compliance, 2)
    _check(f"{label} projected_annual_savings", outcome["projected_annual_savings"], projected)
    _check(f"{label} realised_savings", outcome["realised_savings"], realised)


def _check_overview(kpis: dict, top: list[dict], rows: list[tuple]) -> None:
    totals, *groups = rows
    _, n_groups, members, o_on_hand, o_burn, r_on_hand, r_burn, o_qty, o_spend, r_qty, r_spend, o_locs, ready, _ = (
        totals[:14]
    )
    _check_outcome("overview", kpis["outcome"], *totals[14:])
    for label, ours, theirs in (
        ("active groups", kpis["active_groups"], n_groups),
        ("items impacted", kpis["items_impacted"], members),
        ("original on hand", kpis["original"]["on_hand_ea"], o_on_hand),
        ("original burn", kpis["original"]["burn_ea_per_day"], o_burn),
        ("replacement on hand", kpis["replacement"]["on_hand_ea"], r_on_hand),
        ("replacement burn", kpis["replacement"]["burn_ea_per_day"], r_burn),
        ("original PO qty", kpis["original"]["po_qty_90d"], o_qty),
        ("original PO spend", kpis["original"]["po_spend_90d"], o_spend),
        ("replacement PO qty", kpis["replacement"]["po_qty_90d"], r_qty),
        ("replacement PO spend", kpis["replacement"]["po_spend_90d"], r_spend),
        ("original locations", kpis["original_locations"], o_locs),
        ("set-up locations", kpis["setup_locations"], ready),  # the SQL counts a replacement row: setup_pct
    ):
        _check(label, ours, theirs)
    if [g["group_id"] for g in top] != [row[0] for row in groups]:
        raise AssertionError("top groups differ from the hand-written SQL's ranking")
    for group, row in zip(top, groups, strict=True):
        _check(f"group {row[0]} spend", group["original"]["po_spend_90d"], row[8])
        _check(f"group {row[0]} on hand", group["original"]["on_hand_ea"], row[3])
        _check_outcome(f"group {row[0]}", group["outcome"], *row[14:])


def _outcome_windows(start_date: date | None, as_of: date) -> dict[str, date | None]:
    """The group's PO windows for the hand-written statement (docs/DESIGN.md, "Conversion outcome")."""
    baseline_end = start_date if start_date is not None and start_date <= as_of else as_of
    started = start_date is not None and start_date <= as_of
    return {
        "compliance_start": max(start_date, as_of - timedelta(days=90)) if started else None,
        "baseline_start": baseline_end - timedelta(days=365),
        "baseline_end": baseline_end,
        "group_start": start_date,
    }


def benchmarks(ctx: Context) -> Iterable[Result]:
    filters = Filters(ctx.today)
    params = {
        "as_of": ctx.today,
        "window_start": ctx.today - timedelta(days=90),
        "location": None,
        "top": 25,
    }
    client = Client()
    client.force_login(get_user_model().objects.get(email="planner@example.org"))
    query_string = f"as_of={ctx.today.isoformat()}&location_id=ALL"

    group_id = largest_group()
    group = ItemGroup.objects.get(group_id=group_id)
    group_params = {
        **params,
        "group_id": group_id,
        "stranded_days": _stranded_days(group, ctx.today),
        "start_date": group.last_order_date or group.start_date,  # the leakage cut-off
        **_outcome_windows(group.start_date, ctx.today),
    }
    url = f"/api/groups/{group_id}/kpis?{query_string}"

    def api():
        response = client.get(url)
        assert response.status_code == 200, response.content[:200]
        return response

    _check_group(api().json(), _fetch(GROUP, group_params))
    baseline = sql_seconds(GROUP, group_params)
    ours_sql, statements = _our_sql_seconds(lambda: group_kpis(group_id, filters))
    note = f"group {group_id}, {len(api().json()['items'])} members; numbers match"
    yield Result("group KPI API (HTTP)", seconds(api), baseline, "1 SQL", queries(api), target=TARGET, note=note)
    yield Result("group KPI SQL", ours_sql, baseline, "1 SQL", statements, target=TARGET, note="our statements alone")

    # Pages name static files; the bench has not run collectstatic, so they are looked up in place.
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    def page():
        with override_settings(STORAGES=plain_static):
            response = client.get(f"/dashboard?{query_string}")
        assert response.status_code == 200
        return response

    overview_sql = OVERVIEW.replace("{year_before_b}", YEAR_BEFORE_B[connection.vendor])
    body = overview(filters)
    _check_overview(body, body["top_groups"], _fetch(overview_sql, params))
    baseline = sql_seconds(overview_sql, params)
    ours_sql, statements = _our_sql_seconds(lambda: overview(filters))
    note = "cards + top 25 groups; numbers match"
    yield Result("overview page (HTTP)", seconds(page), baseline, "1 SQL", queries(page), target=TARGET, note=note)
    yield Result("overview SQL", ours_sql, baseline, "1 SQL", statements, target=TARGET, note="our statements alone")

"""Daily figures (issue 19): the daily pages read from the kept rows, against a trivial signed-in page (/collect)
in the same run, and what keeping the rows costs (one group after a link, every group on a new day).

Run with `--today` equal to the site's today (the rows serve today only; a past day is computed live).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings

from bench.core import Context, Result, queries, seconds
from bench.dashboard import largest_group
from dashboard.figures.services import ensure_fresh, refresh_figures
from dashboard.models import DailyFigures
from dashboard.queries import Filters, onhand
from dashboard.queries.outcomes import overview

TARGET = 10.0  # issue 19: at most 10x a trivial signed-in page


def benchmarks(ctx: Context) -> Iterable[Result]:
    if onhand.site_today() != ctx.today:
        raise SystemExit(f"run with --today {onhand.site_today().isoformat()}: the rows serve the site's today only")
    client = Client()
    client.force_login(get_user_model().objects.get(email="planner@example.org"))
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    def get(url: str):
        def fetch():
            with override_settings(STORAGES=plain_static):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return fetch

    DailyFigures.objects.filter(day=ctx.today).delete()
    every = seconds(lambda: (DailyFigures.objects.filter(day=ctx.today).delete(), ensure_fresh(ctx.today)), repeat=3)
    groups = DailyFigures.objects.filter(day=ctx.today).count()
    yield Result("first read of a new day: every group's figures", every, note=f"{groups} groups, one upsert per 500")

    group_id = largest_group()
    one = seconds(lambda: refresh_figures(group_ids=[group_id]))
    yield Result("one group's figures (after a link)", one, note=f"group {group_id}, the largest")
    yield Result("before a read: nothing due", seconds(lambda: ensure_fresh(ctx.today)), note="one statement")

    trivial = get("/collect")
    base = seconds(trivial)
    query = f"as_of={ctx.today.isoformat()}&location_id=ALL"
    for name, url in (
        ("/dashboard", f"/dashboard?{query}"),
        ("/groups", "/groups"),
        ("GET /api/overview", f"/api/overview?{query}"),
    ):
        fetch = get(url)
        yield Result(name, seconds(fetch), base, "/collect", queries(fetch), target=TARGET, note="kept rows")
    live = seconds(lambda: overview(Filters(ctx.today)), repeat=3)
    yield Result("overview computed live (as before)", live, base, "/collect", target=TARGET, note="for comparison")

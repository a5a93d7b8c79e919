"""The attention list as a planner meets it every morning, next to a trivial signed-in page.

Each figure is the whole request through Django (session, middleware, template) against
GET /collect, a page that reads almost nothing, timed in the same run on the same
database: the ratio is what issue 20 item 7 bounds (10x). Also timed: recording a day
(`attention_refresh`, what the first read of a day or after an announced write pays) and
the navigation's badge. Runs in a transaction that is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from attention.services import attention_refresh
from bench.core import Context, Result, queries, seconds

TARGET = 10.0


def _get(client: Client, url: str):
    def request():
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return request


def _benchmarks(ctx: Context) -> Iterator[Result]:
    steward = get_user_model().objects.get(email="steward@example.org")
    client = Client()
    client.force_login(steward)
    today = timezone.localdate()
    first = seconds(lambda: attention_refresh(as_of=today), repeat=1, warmup=0)  # every run begins today
    again = seconds(lambda: attention_refresh(as_of=today), repeat=2, warmup=0)  # as after an announced write
    firing = attention_refresh(as_of=today).firing
    trivial = _get(client, "/collect")
    baseline = seconds(trivial)
    cases = [
        ("GET /attention (steward: every item, folded, first page, from the kept folds)", "/attention"),
        ("GET /api/attention (first page of 100)", "/api/attention"),
        ("GET /api/attention?page_size=500", "/api/attention?page_size=500"),
        ("GET /attention/count (the badge)", "/attention/count"),
        ("GET /attention?new=on (new only: grouped per request, not from the kept folds)", "/attention?new=on"),
    ]
    for name, url in cases:
        fn = _get(client, url)
        yield Result(
            name=name,
            ours_s=seconds(fn),
            baseline_s=baseline,
            baseline="GET /collect",
            queries=queries(fn),
            target=TARGET,
        )
    yield Result(
        name=f"attention_refresh, first of the day ({firing:,} items, every run begins)",
        ours_s=first,
        note="the cron line or the first read of a day pays it",
    )
    yield Result(
        name="attention_refresh again (after an announced write)",
        ours_s=again,
        note="the first read after a write pays it",
    )


def benchmarks(ctx: Context) -> Iterator[Result]:
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    results: list[Result] = []
    with override_settings(STORAGES=plain_static), transaction.atomic():
        results.extend(_benchmarks(ctx))
        transaction.set_rollback(True)
    yield from results

"""Login cost: the whole login (form, lockout check, session) next to the password hash it guards."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import count

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import timezone

from bench.core import Context, Result, queries, seconds
from plmtracker.demo.catalogue import DEMO_PASSWORD

RECORDED_FAILURES = 10_000  # rows in the attempts table while a failed login is timed
BENCH_USERNAME = "bench-{}@example.org"


def benchmarks(ctx: Context) -> Iterable[Result]:
    # The login page names static files; the bench has not run collectstatic, so they are looked up in place.
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static):
        yield from login_benchmarks()


def login_benchmarks() -> Iterable[Result]:
    planner = get_user_model().objects.get(email="planner@example.org")
    addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in count(1))

    def login(email: str, password: str) -> None:
        # A fresh browser each time, from a fresh address, over https as in production.
        response = Client().post(
            "/login", {"username": email, "password": password}, secure=True, REMOTE_ADDR=next(addresses)
        )
        assert response.status_code in (200, 302), response.status_code

    def good_login() -> None:
        login(planner.email, DEMO_PASSWORD)

    strangers = (f"nobody-{n}@example.org" for n in count())

    def bad_login() -> None:
        # Unknown emails, as in credential stuffing: never locked, still hashed (Django evens out timing).
        login(next(strangers), "not-the-password")

    ours = seconds(good_login, repeat=9)  # the first login may upgrade the stored hash; time the hash as it is now
    planner.refresh_from_db()
    password_hash = seconds(lambda: planner.check_password(DEMO_PASSWORD), repeat=9)
    yield Result(
        "login, right password",
        ours_s=ours,
        baseline_s=password_hash,
        baseline="password hash alone",
        queries=queries(good_login),
        target=1.5,
    )

    AccessAttempt.objects.bulk_create(
        AccessAttempt(
            username=BENCH_USERNAME.format(n),
            ip_address=f"172.16.{n // 256 % 256}.{n % 256}",
            user_agent="bench",
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/login",
            failures_since_start=1,
            attempt_time=timezone.now(),
        )
        for n in range(RECORDED_FAILURES)
    )
    try:
        yield Result(
            f"login, unknown email, {RECORDED_FAILURES:,} failures on record",
            ours_s=seconds(bad_login, repeat=9),
            baseline_s=password_hash,
            baseline="password hash alone",
            queries=queries(bad_login),
            target=1.5,
            note="lockout lookups are indexed: flat as the table grows",
        )
    finally:
        AccessAttempt.objects.filter(username__startswith="bench-").delete()
        AccessAttempt.objects.filter(username__startswith="nobody-").delete()

"""Time one page against GET /collect on a dataset's database, as a signed-in user, and optionally profile it.

    DATABASE_URL=sqlite:///$PWD/data/bench_medium.sqlite3 .venv/bin/python scripts/profile_page.py /attention 20

Prints the median and minimum wall time and the median CPU time of the process (SQLite runs inside it) for
/collect and the page. WHO=email signs in someone else than the demo steward; PROF=1 adds a cProfile of ten
requests (SORT=tottime, TOP=n); SQL=1 lists one request's statements with their times. Reads only, but the
first read of a day records the day (daily figures, attention memory) as any read would.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,testserver")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plmtracker.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(url: str, n: int) -> None:
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain):
        client = Client()
        client.force_login(get_user_model().objects.get(email=os.environ.get("WHO", "steward@example.org")))
        for page in ("/collect", url):
            for _ in range(3):
                response = client.get(page, secure=True)
                assert response.status_code == 200, (page, response.status_code)
            walls, cpus = [], []
            for _ in range(n):
                wall, cpu = time.perf_counter(), time.process_time()
                client.get(page, secure=True)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            walls.sort()
            cpus.sort()
            print(
                f"{page}: wall median {walls[n // 2] * 1000:.1f} ms min {walls[0] * 1000:.1f}; "
                f"cpu median {cpus[n // 2] * 1000:.1f} ms  bytes {len(response.content)}"
            )
        if os.environ.get("PROF"):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(10):
                client.get(url, secure=True)
            profile.disable()
            stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("TOP", "45")))
        if os.environ.get("SQL"):
            with CaptureQueriesContext(connection) as captured:
                client.get(url, secure=True)
            for query in captured.captured_queries:
                print(query["time"], query["sql"][:300])


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)

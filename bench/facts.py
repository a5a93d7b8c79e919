"""Daily figures (issue 19): the daily pages read from the kept rows, against a trivial signed-in page (/collect)
in the same run, and what keeping the rows costs (one group after a link, every group on a new day, and the
read after a 300,000-line PO import: `import_data po_lines` in this process, then `ensure_fresh`, in a
transaction rolled back at the end so the dataset stays as seeded).

Run with `--today` equal to the site's today (the rows serve today only; a past day is computed live).
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import tempfile
import time
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.test.utils import override_settings

from bench.core import Context, Result, queries, seconds
from bench.dashboard import largest_group
from bench.feeds import VENDORS
from collector.models import ItemGroup
from dashboard.figures.services import due_groups, ensure_fresh, refresh_figures
from dashboard.models import DailyFigures
from dashboard.queries import Filters, onhand
from dashboard.queries.outcomes import overview
from plmtracker.inventory.models import Item, PoLine

TARGET = 10.0  # issue 19: at most 10x a trivial signed-in page
IMPORT_ROWS = int(os.environ.get("PLM_BENCH_IMPORT_ROWS", "300000"))  # issue 19: a 300,000-line PO import
PO_HEADER = ["po_line_id", "po_date", "erp_item_code", "vendor_id", "vendor_name", "qty_ea", "price"]


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

    yield from after_po_import(ctx)


def write_po_lines(path: Path, ctx: Context) -> int:
    """IMPORT_ROWS new PO lines (ids above every existing one) for items of the dataset drawn at random,
    dated within the last 180 days; returns how many distinct items the file names."""
    rng = random.Random(ctx.seed)
    codes = list(Item.objects.order_by("pk").values_list("erp_item_code", flat=True))
    first_id = (PoLine.objects.aggregate(top=Max("po_line_id"))["top"] or 0) + 1
    named = set()
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(PO_HEADER)
        for n in range(IMPORT_ROWS):
            code = rng.choice(codes)
            named.add(code)
            vendor = rng.randrange(len(VENDORS))
            price = "" if rng.random() < 0.03 else f"{rng.uniform(0.05, 80):.4f}"
            qty = Decimal(rng.choice([1, 2, 5, 10, 12, 24, 50, 100, 144, 500]))
            day = ctx.today - timedelta(days=rng.randrange(180))
            writer.writerow([first_id + n, day.isoformat(), code, 500 + vendor, VENDORS[vendor], qty, price])
    return len(named)


def after_po_import(ctx: Context) -> Iterable[Result]:
    """Import a generated PO-lines file through `import_data`, then time the refresh the next read pays,
    and for comparison a first read of a new day on the same data (the file's lines in).

    Everything runs in one transaction rolled back at the end (the file's rows and the refreshed
    figures go); the file is written to a temporary directory removed afterwards.
    """
    ensure_fresh(ctx.today)  # start from fresh rows: only what the import marks is due
    groups = ItemGroup.objects.count()
    with tempfile.TemporaryDirectory(prefix="plm_bench_facts_") as folder, transaction.atomic():
        path = Path(folder) / "po_lines.csv"
        items = write_po_lines(path, ctx)
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        call_command("import_data", "po_lines", str(path), stdout=out, stderr=err)
        wall = time.perf_counter() - started
        report = out.getvalue()
        created = re.search(r"created\s+([0-9,]+)", report)
        assert created and int(created.group(1).replace(",", "")) == IMPORT_ROWS, report + err.getvalue()
        reported = float(re.search(r" rows in ([0-9.]+) s \(", report).group(1))
        yield Result(
            f"import_data po_lines, {IMPORT_ROWS:,} new lines (CSV)",
            reported,
            note=f"{IMPORT_ROWS / reported:,.0f} rows/s; {items:,} items named; {wall:.1f} s with the command's set-up",
        )
        due = len(due_groups(ctx.today))
        started = time.perf_counter()
        refreshed = ensure_fresh(ctx.today)
        refresh = time.perf_counter() - started
        written = refreshed.groups if refreshed else 0
        yield Result(
            "the next read after that import: ensure_fresh",
            refresh,
            note=f"{due:,} of {groups:,} groups due, {written:,} rows written"
            + (" (over half due: one pass over every group)" if written == groups and due < groups else ""),
        )
        DailyFigures.objects.filter(day=ctx.today).delete()
        started = time.perf_counter()
        ensure_fresh(ctx.today)
        yield Result(
            "for comparison: a first read of a new day with the file's lines",
            time.perf_counter() - started,
            note="every group, on the same data as the line above",
        )
        transaction.set_rollback(True)

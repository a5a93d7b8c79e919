"""Feeds: `import_data po_lines` of 1,000,000 rows against a bare bulk insert of the same rows.

The baseline is `plmtracker.ops.bulk.insert_rows` (COPY on PostgreSQL, executemany
on SQLite) of the same rows, already parsed and with item ids, into an empty
copy of po_line (same columns, keys, indexes and foreign key). Ours is the
command as operations run it, in a child process, from the CSV file: reading,
checking every cell, resolving item codes, looking up existing keys and
writing; its time is the one the command reports (from opening the file to the
commit; the note adds the wall time with Python and Django starting). Its peak
memory is the child's maximum resident set size. A second
run imports the same file again (every row unchanged, nothing written).
"""

from __future__ import annotations

import csv
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction

from bench.core import Context, Result
from plmtracker.inventory.models import Item
from plmtracker.ops.bulk import insert_rows

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("PLM_BENCH_FEED_ROWS", "1000000"))
FIRST_ID = 900_000_000_000  # far above any seeded PO line
TEMPLATES = 5000
COLUMNS = ["po_line_id", "po_date", "item_id", "vendor_id", "vendor_name", "qty_ea", "price"]
VENDORS = ["MEDLINE INDUSTRIES LP", "CARDINAL HEALTH 200 LLC", "OWENS & MINOR", "MCKESSON MEDICAL-SURGICAL", "BD"]


def templates(ctx: Context) -> list[tuple]:
    """A few thousand PO lines the million repeats (with new ids): realistic cells, cheap to generate."""
    rng = random.Random(ctx.seed)
    items = list(Item.objects.order_by("pk").values_list("pk", "erp_item_code")[:TEMPLATES])
    made = []
    for n in range(TEMPLATES):
        item_id, code = items[n % len(items)]
        vendor = rng.randrange(len(VENDORS))
        price = None if rng.random() < 0.03 else Decimal(f"{rng.uniform(0.05, 80):.4f}")
        made.append(
            (
                ctx.today - timedelta(days=rng.randrange(365)),
                item_id,
                code,
                500 + vendor,
                VENDORS[vendor],
                Decimal(rng.choice([1, 2, 5, 10, 12, 24, 50, 100, 144, 500])),
                price,
            )
        )
    return made


def db_rows(made: list[tuple]) -> Iterator[tuple]:
    for n in range(ROWS):
        day, item_id, _, vendor_id, vendor, qty, price = made[n % TEMPLATES]
        yield (FIRST_ID + n, day, item_id, vendor_id, vendor, qty, price)


def write_csv(path: Path, made: list[tuple]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with open(partial, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["po_line_id", "po_date", "erp_item_code", "vendor_id", "vendor_name", "qty_ea", "price"])
        for n in range(ROWS):
            day, _, code, vendor_id, vendor, qty, price = made[n % TEMPLATES]
            writer.writerow(
                [FIRST_ID + n, day.isoformat(), code, vendor_id, vendor, qty, "" if price is None else price]
            )
    partial.replace(path)


def empty_copy() -> str:
    """An empty table shaped like po_line (keys, indexes, foreign key); returns its name."""
    name = "po_line_bench"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {name} (LIKE po_line INCLUDING ALL)")
            cursor.execute(
                f"ALTER TABLE {name} ADD FOREIGN KEY (item_id) REFERENCES items (item_id) DEFERRABLE INITIALLY DEFERRED"
            )
        else:
            cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = 'po_line' AND sql IS NOT NULL")
            for kind, sql in sorted(cursor.fetchall(), key=lambda r: r[0] != "table"):
                sql = sql.replace('"po_line"', f'"{name}"')
                if kind == "index":
                    sql = re.sub(r'INDEX "([^"]+)"', rf'INDEX "{name}_\1"', sql)
                cursor.execute(sql)
    return name


def drop(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def remove_imported() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM po_line WHERE po_line_id >= %s", [FIRST_ID])
    settle()


def settle() -> None:
    """Start each measurement from a clean database: no dead rows, no pending WAL, no free pages."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE po_line")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def bare_insert(table: str, rows: Iterable[tuple]) -> float:
    started = time.perf_counter()
    with transaction.atomic():
        insert_rows(table, COLUMNS, rows)
    return time.perf_counter() - started


def run_command(path: Path) -> tuple[float, float, float, str]:
    """Run import_data in a child process: its own import time, the wall time (with Python and
    Django starting), the peak RSS in MB, and what it printed."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_data", "po_lines", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"import_data failed ({child.returncode}): {out}")
    reported = re.search(r" rows in ([0-9.]+) s \(", out)
    return float(reported.group(1)), elapsed, usage.ru_maxrss / 1024, out


def benchmarks(ctx: Context) -> Iterable[Result]:
    made = templates(ctx)
    path = ROOT / "data" / "bench_feeds" / f"po_lines_{ROWS}_{ctx.seed}_{ctx.today.isoformat()}.csv"
    if not path.exists():
        write_csv(path, made)
    remove_imported()

    copy = empty_copy()
    settle()
    try:
        baseline_s = bare_insert(copy, db_rows(made))
    finally:
        drop(copy)
        settle()

    try:
        ours_s, wall_s, peak, out = run_command(path)
        assert f"{ROWS:,} rows" in out and f"created {ROWS:,}".replace(" ", "") in out.replace(" ", ""), out
        yield Result(
            name=f"import_data po_lines, {ROWS:,} new rows (CSV)",
            ours_s=ours_s,
            baseline_s=baseline_s,
            baseline="bare insert_rows of the parsed rows into an empty copy",
            peak_mb=peak,
            target=2.0,
            note=(
                f"{ROWS / ours_s:,.0f} rows/s vs {ROWS / baseline_s:,.0f} bare; "
                f"{wall_s:.1f} s with the process starting; peak RSS of the command"
            ),
        )
        settle()
        again_s, again_wall_s, again_peak, out = run_command(path)
        assert f"unchanged {ROWS:,}".replace(" ", "") in out.replace(" ", ""), out
        yield Result(
            name=f"import_data po_lines again, {ROWS:,} unchanged rows",
            ours_s=again_s,
            baseline_s=baseline_s,
            baseline="bare insert_rows of the parsed rows into an empty copy",
            peak_mb=again_peak,
            note=f"{ROWS / again_s:,.0f} rows/s; nothing written; {again_wall_s:.1f} s with the process starting",
        )
    finally:
        remove_imported()

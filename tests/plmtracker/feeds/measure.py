"""Read one XLSX file as an entry point reads it, in a fresh process, and say what that cost.

`python -m tests.plmtracker.feeds.measure PATH ENTRY KIND` prints one JSON line: the outcome (rows
read, or the refusal's status and message), wall and CPU seconds, and how far the process's peak
resident memory rose above its resident size just before the read. The peak is the kernel's
high-water mark of this process (VmHWM), reset to the resident size right before the read
(/proc/self/clear_refs), so nothing read earlier can hide the read's own peak. getrusage's
ru_maxrss would not do: across exec it keeps the peak of the process that started this one.
ENTRY is `bulk` (the bulk upload's page and API), `admin` (the admin import) or `import_data`.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ENTRIES = ("bulk", "admin", "import_data")


def measure(path: Path, entry: str, kind: str = "links") -> dict:
    """Run this module on `path` in a new interpreter; what it printed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.plmtracker.feeds.measure", str(path), entry, kind],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status_bytes(field: str) -> int:
    """A memory figure of /proc/self/status (VmRSS: resident now, VmHWM: the peak), in bytes."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1]) * 1024


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")  # the high-water mark starts again from the resident size


def _reader(path: Path, entry: str, kind: str):
    """What the entry point calls to read the file (no database: the feed's rows are not written)."""
    from collector.bulk import bulk_limits
    from plmtracker.feeds.admin import feed_formats
    from plmtracker.feeds.management.commands.import_data import Command
    from plmtracker.feeds.readers import open_table

    def read_with(limits) -> int:
        with open_table(path, limits=limits) as table:
            return sum(1 for _ in table.rows)

    if entry == "bulk":
        return lambda: read_with(bulk_limits())
    if entry == "admin":
        xlsx = next(f for f in feed_formats(kind) if f.extension == "xlsx")
        return lambda: len(xlsx().create_dataset(path.read_bytes()))
    return lambda: read_with(Command.limits(kind))


def main(path: str, entry: str, kind: str) -> None:
    import django

    django.setup()
    from plmtracker.feeds.errors import FeedError

    read = _reader(Path(path), entry, kind)
    gc.collect()
    _reset_peak()
    resident = _status_bytes("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = {"rows": read()}
    except FeedError as exc:
        outcome = {"status": exc.status, "message": exc.message}
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _status_bytes("VmHWM")
    print(json.dumps({**outcome, "seconds": wall, "cpu_seconds": cpu, "peak_growth_bytes": peak - resident}))


if __name__ == "__main__":
    main(*sys.argv[1:4])

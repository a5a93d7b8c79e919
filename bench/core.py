"""What every benchmark module uses: timing, query counts, peak memory, results.

A module `bench/<area>.py` defines `benchmarks(ctx: Context) -> Iterable[Result]`;
each Result compares our code with a baseline (one hand-written SQL statement,
a bare bulk insert, ...) measured in the same run on the same database, so the
ratio holds whatever machine it runs on.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Context:
    scale: str
    seed: int
    today: date
    vendor: str


@dataclass
class Result:
    name: str
    ours_s: float
    baseline_s: float | None = None
    baseline: str = ""  # what the baseline is
    queries: int | None = None
    peak_mb: float | None = None
    target: float | None = None  # the ratio we aim to stay under
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_s in (None, 0):
            return None
        return self.ours_s / self.baseline_s

    @property
    def verdict(self) -> str:
        if self.target is None or self.ratio is None:
            return ""
        return "ok" if self.ratio <= self.target else "OVER"


def seconds(fn: Callable[[], Any], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of `fn` over `repeat` runs, after `warmup` runs."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def queries(fn: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak Python heap while `fn` runs, in MB (tracemalloc)."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


def sql_seconds(sql: str, params: list | tuple = (), repeat: int = 5) -> float:
    """Median time of one hand-written statement, fetching all its rows."""

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if cursor.description:
                cursor.fetchall()

    return seconds(run, repeat=repeat)


def format_table(results: list[Result], ctx: Context) -> str:
    """The results as a Markdown table (for the terminal and docs/PERFORMANCE.md)."""
    lines = [
        f"Scale {ctx.scale}, {ctx.vendor}, seed {ctx.seed}, {ctx.today.isoformat()}",
        "",
        "| Benchmark | Ours | Baseline | Ratio | Target | Queries | Peak MB | Note |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        base = f"{r.baseline_s * 1000:.1f} ms ({r.baseline})" if r.baseline_s is not None else r.baseline
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        target = f"<= {r.target:g}x {r.verdict}" if r.target is not None else ""
        lines.append(
            f"| {r.name} | {r.ours_s * 1000:.1f} ms | {base} | {ratio} | {target} | "
            f"{'' if r.queries is None else r.queries} | {'' if r.peak_mb is None else f'{r.peak_mb:.1f}'} | {r.note} |"
        )
    return "\n".join(lines)

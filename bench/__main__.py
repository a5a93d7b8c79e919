"""Build the demo dataset on the configured database and print every benchmark.

    python -m bench --scale medium            # all areas
    python -m bench --scale small --only collector

The dataset lives in its own database so benchmarks never touch real data:
data/bench_<scale>.sqlite3 on SQLite, database plm_bench_<scale> on the
PostgreSQL server DATABASE_URL names. It is seeded once and reused.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def bench_database_url(scale: str) -> str:
    """The dataset's own database; PLM_BENCH_PREFIX (default plm) keeps several checkouts' datasets apart."""
    prefix = os.environ.get("PLM_BENCH_PREFIX", "plm")
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{ROOT / 'data' / f'bench_{scale}.sqlite3'}"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{prefix}_bench_{scale}"))


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def tidy(connection) -> None:
    """On PostgreSQL, reclaim what the previous area's rolled-back work left and refresh the statistics.

    SQLite is left as the app leaves it: without statistics (see seed_demo).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def areas() -> list[str]:
    import bench

    return sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name not in ("core",) and not m.name.startswith("_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="medium")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--only", nargs="*", help="areas to run (default: all): " + ", ".join(areas()))
    args = parser.parse_args(argv)

    url = bench_database_url(args.scale)
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,testserver")
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would keep every query in memory
    os.environ.setdefault("DJANGO_HTTPS", "0")  # the test client speaks plain http
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plmtracker.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.core import Context, format_table

    print(f"== dataset: {args.scale} on {connection.vendor} ({url})", flush=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=args.scale, seed=args.seed, today=args.today, if_empty=True)
    ctx = Context(scale=args.scale, seed=args.seed, today=args.today, vendor=connection.vendor)

    results = []
    for area in args.only or areas():
        tidy(connection)
        module = importlib.import_module(f"bench.{area}")
        print(f"== {area}", flush=True)
        for result in module.benchmarks(ctx):
            results.append(result)
            print(
                f"   {result.name}: {result.ours_s * 1000:.1f} ms"
                + (f", {result.ratio:.2f}x {result.baseline}" if result.ratio is not None else ""),
                flush=True,
            )
    print()
    print(format_table(results, ctx))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fill an empty database with hospital-style demo data."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from plmtracker.demo import engine
from plmtracker.demo.catalogue import DEMO_PASSWORD, DEMO_USERS, SCALES


class Command(BaseCommand):
    help = (
        "Seed demo data: UOMs, items, locations, item locations, burn rates, PO lines, on-hand "
        "snapshots and conversion groups (made by the collector's grouping service). "
        "Deterministic for a given --seed and --today."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Anchor day YYYY-MM-DD (default: today)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Delete the existing inventory and group data first (users stay)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (and succeed) when the database already has data."
        )

    def handle(self, *args, **options):
        scale = SCALES[options["scale"]]
        if not engine.tracker_is_empty():
            if options["if_empty"] and not options["force"]:
                self.stdout.write("The database already holds tracker data; leaving it as it is.")
                return
            if not options["force"]:
                raise CommandError(
                    "The database already holds tracker data; seed_demo only fills an empty one. "
                    "Run it again with --force to delete the inventory and group data (users stay) and reseed."
                )
            self.stdout.write("Deleting the existing tracker data (--force)...")
            engine.wipe_tracker_data()

        today = options["today"] or date.today()
        expected = engine.expected_rows(scale)
        bar = tqdm(
            total=expected,
            unit="rows",
            unit_scale=True,
            desc="seeding",
            disable=options["verbosity"] == 0,
            file=self.stderr._out,
        )

        def progress(label: str, n: int) -> None:
            bar.set_description(label)
            bar.update(n)

        started = time.perf_counter()
        report = engine.seed(options["scale"], options["seed"], today, progress)
        bar.close()
        elapsed = time.perf_counter() - started
        total = sum(report.rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the {options['scale']} demo on {connection.vendor} in {elapsed:.1f} s: {total:,} rows."
            )
        )
        for table, n in sorted(report.rows.items()):
            self.stdout.write(f"  {table:<22} {n:>12,}")
        self.stdout.write(
            f"Log in as {DEMO_USERS[0][0]}, {DEMO_USERS[1][0]} or {DEMO_USERS[2][0]} with the password {DEMO_PASSWORD}."
        )

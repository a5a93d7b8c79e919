"""Import a CSV or XLSX feed file: upsert on the natural key, report every bad row."""

import gc
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from plmtracker.feeds import FEEDS, FeedError, ImportResult
from plmtracker.feeds.limits import Limits, current_limits, xlsx_limits
from plmtracker.feeds.readers import open_table

SHOWN_ERRORS = 200


@contextmanager
def cycle_collection_paused():
    """No cyclic garbage collection while rows stream through.

    A feed makes millions of short-lived, acyclic objects (freed as soon as their batch
    is written); the cycle collector would scan them again and again for nothing
    (a fifth of the run). This command is its own process, so the pause is its business.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Command(BaseCommand):
    help = (
        "Import a feed file (.csv UTF-8 with , or ; / .xlsx first sheet) of one KIND: "
        + "; ".join(f"{kind}: {feed.summary}" for kind, feed in FEEDS.items())
        + " A file with any bad row writes nothing unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(FEEDS), help="What the file holds.")
        parser.add_argument("file", help="Path to the .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument("--skip-invalid", action="store_true", help="Write the good rows and report the bad ones.")

    def handle(self, *args, kind, file, dry_run, skip_invalid, verbosity, **options):
        feed = FEEDS[kind]
        started = time.perf_counter()
        try:
            with open_table(file, limits=self.limits(kind)) as table:
                bar = tqdm(
                    total=table.size_hint,
                    unit="rows",
                    unit_scale=True,
                    desc=kind,
                    disable=None if verbosity else True,
                    file=self.stderr._out,
                )
                with bar, cycle_collection_paused():
                    result = feed.run(
                        table,
                        dry_run=dry_run,
                        skip_invalid=skip_invalid,
                        progress=bar.update,
                        max_rows=settings.PLM_IMPORT_MAX_LINKS if kind == "links" else None,
                    )
        except FeedError as exc:
            raise CommandError(f"{file}: {exc.message} Nothing was written.") from None
        self.report(result, file, time.perf_counter() - started, verbosity)
        if not result.ok and not skip_invalid:
            raise CommandError(
                f"{result.skipped:,} bad row{'s' * (result.skipped != 1)} in {file}: nothing was written. "
                "Fix them, or run again with --skip-invalid to write the good rows."
            )

    @staticmethod
    def limits(kind: str) -> Limits:
        """What reading an XLSX file may cost: a links file holds PLM_IMPORT_MAX_LINKS rows, others a full sheet."""
        if kind == "links":
            most = settings.PLM_IMPORT_MAX_LINKS
            return xlsx_limits(most, scope=f"import_data takes at most {most:,} links")
        return current_limits()

    def report(self, result: ImportResult, file: str, elapsed: float, verbosity: int) -> None:
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        if result.errors:
            self.stderr.write(f"Bad rows in {file}:")
            for error in result.errors[:SHOWN_ERRORS]:
                self.stderr.write(f"  {error}")
            hidden = result.error_count - min(len(result.errors), SHOWN_ERRORS)
            if hidden:
                self.stderr.write(f"  ... and {hidden:,} more problem{'s' * (hidden != 1)}.")
        if verbosity == 0:
            return
        rate = result.rows / elapsed if elapsed else 0
        if result.dry_run:
            verb = "Checked (dry run, nothing written)"
        elif result.written:
            verb = "Imported"
        else:
            verb = "Read (nothing written)"
        self.stdout.write(
            f"{verb} {result.kind} from {file}: {result.rows:,} rows in {elapsed:.1f} s ({rate:,.0f} rows/s)"
        )
        if not result.dry_run and not result.written:
            return
        would = "would be " if result.dry_run else ""
        for label, value in (
            ("created", result.created),
            ("updated", result.updated),
            ("unchanged", result.unchanged),
            ("skipped (bad rows)", result.skipped),
        ):
            self.stdout.write(f"  {would + label:<28} {value:>12,}")
        for table, counts in result.related.items():
            self.stdout.write(
                f"  {table} rows {would}created {counts.created:,}, updated {counts.updated:,}, "
                f"unchanged {counts.unchanged:,}"
            )
        for note in result.notes:
            self.stdout.write(f"  {note}")
        if result.links is not None and result.written:
            links = result.links
            self.stdout.write(
                f"  groups created {len(links.created_groups):,}, merged {len(links.merges):,}, "
                f"conflicts raised {len(links.alerts_raised):,}"
            )

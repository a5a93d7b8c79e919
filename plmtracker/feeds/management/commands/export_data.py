"""Export a table (items, groups, links, conflicts, dashboard tables, ...) to CSV or XLSX."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from plmtracker.feeds import FeedError
from plmtracker.feeds.exporting import export_registry, export_to_file


class Command(BaseCommand):
    help = (
        "Export KIND to FILE; the format follows the extension (.csv or .xlsx). Cells a spreadsheet "
        "would run as a formula (=, +, -, @) are written with a leading apostrophe."
    )

    def add_arguments(self, parser):
        kinds = sorted(export_registry())
        parser.add_argument("kind", choices=kinds, help="What to export.")
        parser.add_argument("file", help="Where to write it: a path ending in .csv or .xlsx.")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            help="Day YYYY-MM-DD (burn rates and snapshots of that day; PO lines "
            "of the 90 days up to it; the dashboard's KPI date).",
        )
        parser.add_argument("--location-id", type=int, help="Only this location, where the table has locations.")
        parser.add_argument("--group-id", type=int, help="Only this conversion group (its members' rows).")

    def handle(self, *args, kind, file, as_of, location_id, group_id, **options):
        try:
            count = export_to_file(kind, file, as_of=as_of, location_id=location_id, group_id=group_id)
        except FeedError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"Exported {count:,} {kind} rows to {file}."))

"""`manage.py refresh_facts [--as-of YYYY-MM-DD]`: compute every group's daily figures for a day."""

from django.core.management.base import BaseCommand

from dashboard.figures.services import refresh_figures
from plmtracker.ops.arguments import day_option


class Command(BaseCommand):
    help = (
        "Compute every group's daily figures (the overview's rows and each conversion's history) for a day "
        "(default: today, site time zone) and keep them. Safe to run while pages are read and from two hosts at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="The day, YYYY-MM-DD (default: today).")

    def handle(self, *args, as_of=None, **options):
        result = refresh_figures(day=day_option(as_of))
        self.stdout.write(
            f"Daily figures for {result.day.isoformat()}: {result.groups} groups computed, "
            f"{result.removed} rows of groups that no longer exist removed."
        )

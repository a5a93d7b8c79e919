"""`manage.py check_facts [--as-of YYYY-MM-DD]`: compare the kept daily figures with live figures."""

from django.core.management.base import BaseCommand, CommandError

from dashboard.figures.check import check_figures
from plmtracker.ops.arguments import day_option

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Recompute every group's daily figures with today's live code and list where the kept rows differ "
        "(exit status 1 when any does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="The day, YYYY-MM-DD (default: today).")

    def handle(self, *args, as_of=None, **options):
        result = check_figures(day_option(as_of))
        for difference in result.differences[:SHOWN]:
            self.stdout.write(str(difference))
        if len(result.differences) > SHOWN:
            self.stdout.write(f"... and {len(result.differences) - SHOWN} more.")
        due = f", {len(result.due)} due for refresh at the next read" if result.due else ""
        summary = f"Daily figures for {result.day.isoformat()}: {result.checked} groups checked{due}"
        if result.differences:
            raise CommandError(f"{summary}, {len(result.differences)} differences.", returncode=1)
        self.stdout.write(f"{summary}, no differences.")

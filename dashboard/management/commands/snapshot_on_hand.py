"""`manage.py snapshot_on_hand [--date YYYY-MM-DD]`: record the day's on-hand of every item location."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from plmtracker.inventory.snapshots import take_snapshot
from plmtracker.ops.arguments import day_option


class Command(BaseCommand):
    help = (
        "Record every item location's on-hand and on-order for a day (default: today) in on_hand_snapshot, "
        "the history the dashboard's trend charts read. Running it again the same day only updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="The day to record, YYYY-MM-DD (default: today).")

    def handle(self, *args, day=None, **options):
        when = day_option(day, "--date") or timezone.localdate()
        result = take_snapshot(when)
        self.stdout.write(
            f"On-hand snapshot for {result.day.isoformat()}: {result.created} item locations recorded, "
            f"{result.updated} updated since the last run today."
        )

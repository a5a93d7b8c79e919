"""python manage.py send_digest [--as-of D] [--dry-run] [--only EMAIL]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attention.digest import plan_digests, send_digests
from attention.management.arguments import as_of_day


class Command(BaseCommand):
    help = (
        "Mail each group owner the attention items of their groups and each data steward all of them "
        "(HTML and plain text). Items already sent to a person that day are not sent again; people who "
        "turned the digest off on their account page get nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="The day, YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Say who would get what; send nothing.")
        parser.add_argument("--only", metavar="EMAIL", help="Only this recipient.")

    def handle(self, *args, as_of=None, dry_run=False, only=None, **options):
        day = as_of_day(as_of) if as_of else timezone.localdate()
        digests = plan_digests(day, only=only)
        if not digests:
            self.stdout.write(f"Nothing to send for {day.isoformat()}.")
            return
        if dry_run:
            for digest in digests:
                self.stdout.write(f"would send {len(digest.items)} item(s) to {digest.email}")
            self.stdout.write(f"Dry run: {len(digests)} message(s) for {day.isoformat()}, nothing sent.")
            return
        outcome = send_digests(digests, day)
        for digest in outcome.sent:
            self.stdout.write(f"sent {len(digest.items)} item(s) to {digest.email}")
        for digest, error in outcome.failed:
            self.stderr.write(f"FAILED {digest.email}: {error}")
        self.stdout.write(f"{len(outcome.sent)} message(s) sent for {day.isoformat()}, {len(outcome.failed)} failed.")
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} of {len(digests)} digest(s) could not be sent.")

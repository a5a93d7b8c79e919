"""python manage.py send_digest [--as-of D] [--dry-run] [--only EMAIL]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attention.digest import plan_digests, render_digest, send_digests
from attention.management.arguments import as_of_day


class Command(BaseCommand):
    help = (
        "Record today's attention memory, then mail each group owner the open items of their groups and each "
        "data steward all of them that are new since their last digest (at most 20, with a summary line; "
        "HTML and plain text). Nothing new: no mail. People who turned the digest off get nothing. "
        "--dry-run prints each mail (recipients, subject, text) and sends nothing."
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
                message = render_digest(digest, day)
                self.stdout.write(f"To: {', '.join(message.to)}\nSubject: {message.subject}\n\n{message.body}")
                self.stdout.write(f"would send {len(digest.items)} item(s) to {digest.email}\n")
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

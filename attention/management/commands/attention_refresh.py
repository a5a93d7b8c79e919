"""python manage.py attention_refresh [--as-of DAY]"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from attention.management.arguments import as_of_day
from attention.services import attention_refresh


class Command(BaseCommand):
    help = (
        "Record which attention items fire on a day (default today): a key that fired on the previous "
        "recorded day continues its run, others begin one, runs whose key stopped firing end. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="The day, YYYY-MM-DD (default: today).")

    def handle(self, *args, as_of=None, **options):
        day = as_of_day(as_of) if as_of else timezone.localdate()
        done = attention_refresh(as_of=day)
        self.stdout.write(
            f"{day.isoformat()}: {done.firing} item(s) fire; {done.began} new, {done.continued} continued, "
            f"{done.ended} ended."
        )

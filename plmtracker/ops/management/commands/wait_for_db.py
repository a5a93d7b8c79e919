"""Wait until the database answers, or say clearly why it does not."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from plmtracker.ops.db import database_settings_summary


class Command(BaseCommand):
    help = "Wait until the configured database accepts connections (used by scripts/start.sh)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60, help="Seconds to keep trying (default 60).")

    def handle(self, *args, **options):
        summary = database_settings_summary()
        deadline = time.monotonic() + options["timeout"]
        last_error = None
        while True:
            try:
                connection.ensure_connection()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                self.stdout.write(f"Database reachable: {summary['engine']} at {summary['where']}.")
                return
            except DatabaseError as exc:
                last_error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                connection.close()
            if time.monotonic() >= deadline:
                raise CommandError(
                    f"The database ({summary['engine']} at {summary['where']}) did not answer within "
                    f"{options['timeout']:g} s: {last_error}. Check that the database service is running, that "
                    "DATABASE_URL names the right host, port, database and credentials, and that its disk is not full."
                )
            time.sleep(1)

"""Replace an SQLite database with a backup made by `backup`."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from plmtracker.ops.backups import BackupError, check_sqlite_backup, restore_database


class Command(BaseCommand):
    help = (
        "Restore the SQLite database from a backup file (.sqlite3 written by `backup`). Every row of the "
        "current database is replaced; it asks first unless --yes. PostgreSQL sites use pg_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (.sqlite3).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file, yes, **options):
        path = Path(file)
        try:
            if connection.vendor == "sqlite":
                check_sqlite_backup(path)
            if not yes and connection.vendor == "sqlite":
                taken = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
                answer = input(
                    f"This replaces every row of {connection.settings_dict['NAME']} with the backup {path} "
                    f"(saved {taken}). Type 'yes' to restore: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing changed.")
            restore_database(path)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {connection.settings_dict['NAME']} from {path}."))

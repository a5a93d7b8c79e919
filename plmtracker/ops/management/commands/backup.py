"""Write a consistent copy of the database into the backup folder."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from plmtracker.ops.backups import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Back up the database: SQLite through its online backup API (safe while the site runs), "
        "PostgreSQL with pg_dump (custom format, for pg_restore). The folder is BACKUP_DIR (environment), "
        "then the BACKUP_DIR setting, then <data folder>/backups, then ./backups: the first one writable."
    )

    def handle(self, *args, **options):
        try:
            result = backup_database()
        except BackupError as exc:
            raise CommandError(exc.message) from None
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {result.vendor} database to {result.path} ({filesizeformat(result.size)})."
            )
        )

"""Django's migrate, creating the PLM schema first where the database has schemas."""

from django.conf import settings
from django.core.management.commands import migrate
from django.db import connections

from plmtracker.ops.schema import ensure_schema


class Command(migrate.Command):
    help = migrate.Command.help + " Creates the PLM schema first on PostgreSQL and SQL Server."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if ensure_schema(connection, settings.PLM_DB_SCHEMA) and options["verbosity"] >= 1:
            self.stdout.write(f"Created schema {settings.PLM_DB_SCHEMA}.")
        return super().handle(*args, **options)

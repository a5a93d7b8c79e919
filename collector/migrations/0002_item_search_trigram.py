"""Trigram indexes for the item typeahead, on PostgreSQL only.

The typeahead filters `UPPER(erp_item_code) LIKE 'Q%'` and
`UPPER(description) LIKE '%WORD%'` (what Django's istartswith/icontains
compile to); GIN indexes with pg_trgm's operator class on the same
expressions answer both without reading the whole table. The connection's
search_path is only "PLM", so the extension is created there when the
database does not have it yet, and the operator class is named with the
schema it actually lives in. SQLite and SQL Server keep plain LIKE scans; a
database where the login may not create the extension keeps them too.
"""

from django.db import DatabaseError, migrations, transaction

INDEXES = {
    "items_code_upper_trgm": "UPPER(erp_item_code::text)",
    "items_description_upper_trgm": "UPPER(description::text)",
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class TrigramSearchIndexes(migrations.operations.base.Operation):
    """Create pg_trgm (if missing) and the typeahead's GIN indexes; a no-op elsewhere."""

    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label, state):
        pass  # raw indexes on expressions: no model state to change

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            schema = self._extension_schema(cursor)
            if schema is None:
                try:
                    with transaction.atomic(using=connection.alias):
                        cursor.execute("SELECT current_schema()")
                        schema = cursor.fetchone()[0]
                        cursor.execute(f"CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA {quote(schema)}")
                except DatabaseError as exc:
                    print(f"\n  pg_trgm could not be created ({exc}); the item typeahead will scan instead.")
                    return
            for name, expression in INDEXES.items():
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON items USING gin ({expression} {quote(schema)}.gin_trgm_ops)"
                )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for name in INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    @staticmethod
    def _extension_schema(cursor) -> str | None:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
        row = cursor.fetchone()
        return row[0] if row else None

    def describe(self):
        return "Trigram indexes on items (code, description) for the typeahead, on PostgreSQL"


class Migration(migrations.Migration):
    dependencies = [
        ("collector", "0001_initial"),
        ("plmtracker", "0001_initial"),
    ]

    operations = [TrigramSearchIndexes()]

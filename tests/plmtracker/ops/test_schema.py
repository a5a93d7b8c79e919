"""On PostgreSQL every table, django_migrations included, lives in schema PLM."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL schema checks run when DATABASE_URL points at PostgreSQL.")


def tables_by_schema() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'"
        )
        found: dict[str, set[str]] = {}
        for schema, table in cursor.fetchall():
            found.setdefault(schema, set()).add(table)
    return found


def test_every_model_table_and_django_migrations_are_in_plm():
    found = tables_by_schema()
    assert set(found) == {"PLM"}, f"tables outside PLM: { {k: v for k, v in found.items() if k != 'PLM'} }"
    expected = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    assert expected | {"django_migrations"} <= found["PLM"]


def test_migrate_creates_the_schema_when_it_is_missing():
    schema = "PLM_bootstrap_test"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    from plmtracker.ops.schema import ensure_schema

    assert ensure_schema(connection, schema) is True
    assert ensure_schema(connection, schema) is False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        assert cursor.fetchone() == (1,)
        cursor.execute(f'DROP SCHEMA "{schema}"')


def test_migrate_reports_nothing_left_to_apply():
    call_command("migrate", check_unapplied=True, verbosity=0)

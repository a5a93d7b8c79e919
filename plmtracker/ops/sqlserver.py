"""SQL Server DDL for every migration, produced without a server.

mssql-django compiles schema changes and querysets without connecting once
its per-alias version caches are filled; that is how a DBA gets a script to
review before the app's login touches the database, and how the tests check
the SQL Server paths on machines that cannot run SQL Server.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from plmtracker.ops.db import SCHEMA, SQLSERVER_DRIVER
from plmtracker.ops.schema import SQLSERVER_CREATE_SCHEMA

ALIAS = "sqlserver_offline"
SQL_SERVER_VERSION = 2022


def offline_connection(alias: str = ALIAS, version: int = SQL_SERVER_VERSION):
    """An mssql-django connection object that never connects."""
    from mssql.base import DatabaseWrapper

    settings_dict = {
        "ENGINE": "mssql",
        "NAME": "plm",
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {"driver": SQLSERVER_DRIVER},
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "TEST": {},
    }
    connection = DatabaseWrapper(settings_dict, alias=alias)
    connection._known_versions[alias] = version
    connection._known_azures[alias] = False
    # Migrations look their connection up by alias.
    connections[alias] = connection
    return connection


@dataclass
class DdlScript:
    statements: list[str] = field(default_factory=list)
    recorded: list[tuple[str, str]] = field(default_factory=list)
    left_for_migrate: list[tuple[str, str]] = field(default_factory=list)


# Our own apps: their Python migrations write data the app needs. Django's
# contrib migrations with Python code only fix up rows of older installs and
# do nothing on an empty database.
OWN_APPS = {"plmtracker", "accounts", "collector", "dashboard"}


def _needs_python(migration) -> bool:
    return migration.app_label in OWN_APPS and any(isinstance(op, RunPython) for op in migration.operations)


def _full_plan(loader: MigrationLoader):
    seen, plan = set(), []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                plan.append(loader.graph.nodes[key])
    return plan


def sqlserver_ddl(schema: str = SCHEMA) -> DdlScript:
    """The T-SQL that creates the database `migrate` would build.

    The tables are created from the state all migrations leave (replaying
    each AlterField would need a live server to look up constraint names),
    then every migration is recorded in django_migrations, except a
    migration of ours with Python code (the steward role) and what depends on
    it: those are left for `manage.py migrate`, which also creates the
    content types and permissions.
    """
    connection = offline_connection()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = _full_plan(loader)
    script = DdlScript()
    script.statements.append(SQLSERVER_CREATE_SCHEMA.format(schema=schema) + ";")

    left: set[tuple[str, str]] = set()
    for migration in plan:
        key = (migration.app_label, migration.name)
        if _needs_python(migration) or any(tuple(dep) in left for dep in migration.dependencies):
            if any(not isinstance(op, RunPython) for op in migration.operations):
                raise ValueError(
                    f"{migration.app_label}.{migration.name} changes the schema after a data migration; "
                    "the offline script cannot record it. Split the migration."
                )
            left.add(key)
            script.left_for_migrate.append(key)
        else:
            script.recorded.append(key)

    app_order = list(dict.fromkeys(m.app_label for m in plan))
    apps = loader.project_state().apps
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and not m._meta.auto_created]
    models.sort(key=lambda m: (app_order.index(m._meta.app_label), m._meta.db_table))
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        editor.create_model(MigrationRecorder.Migration)
        for model in models:
            editor.create_model(model)
    script.statements.extend(editor.collected_sql)

    applied = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    script.statements.extend(
        f"INSERT INTO [django_migrations] ([app], [name], [applied]) VALUES ('{app}', '{name}', '{applied}');"
        for app, name in script.recorded
    )
    return script

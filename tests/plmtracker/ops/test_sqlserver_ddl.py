"""`manage.py sqlserver_ddl` prints SQL Server DDL for every table without a server."""

import re
from io import StringIO

import pytest
import sqlglot
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

from dashboard.models import POOLED
from plmtracker.ops.sqlserver import offline_connection


@pytest.fixture(scope="module")
def ddl() -> str:
    out = StringIO()
    call_command("sqlserver_ddl", stdout=out)
    return out.getvalue()


def statements(ddl: str) -> list[str]:
    parts = [p.strip() for p in ddl.split("\nGO")]
    bodies = ["\n".join(line for line in p.splitlines() if not line.startswith("--")).strip() for p in parts]
    return [b for b in bodies if b]


def test_every_statement_is_valid_tsql(ddl):
    parsed = [sqlglot.parse_one(s, read="tsql") for s in statements(ddl)]
    assert len(parsed) > 50


def test_there_is_a_create_table_for_every_model_and_django_migrations(ddl):
    created = set(re.findall(r"CREATE TABLE \[(\w+)\]", ddl))
    expected = {m._meta.db_table for m in apps.get_models(include_auto_created=True)} | {"django_migrations"}
    assert expected <= created, f"missing: {expected - created}"


def test_the_script_creates_the_plm_schema_first(ddl):
    first = statements(ddl)[0]
    assert first.startswith("IF SCHEMA_ID('PLM') IS NULL EXEC('CREATE SCHEMA PLM")


def test_spec_columns_types_defaults_and_checks(ddl):
    users = re.search(r"CREATE TABLE \[users\] \((.*)\);", ddl).group(1)
    assert "[pw_hash] nvarchar(255) NOT NULL" in users
    assert "[last_login_at] datetimeoffset NULL" in users
    assert "[created_at] datetimeoffset DEFAULT (SYSDATETIMEOFFSET()) NOT NULL" in users
    assert "CHECK ([location_type] IN ('main', 'sat', 'par', 'bin', 'dept'))" in ddl
    assert "CHECK ([status] IN ('draft', 'active', 'retired'))" in ddl
    assert re.search(
        r"CREATE UNIQUE INDEX \[group_alert_one_open\] ON \[group_alert\] \(\[item_id\]\) "
        r"WHERE \[resolved_at\] IS NULL",
        ddl,
    )
    assert "[qty_ea] numeric(18, 2) NOT NULL" in ddl
    assert "[po_line_id] bigint NOT NULL PRIMARY KEY" in ddl


def test_dashboard_indexes_are_in_the_script(ddl):
    assert re.search(r"CREATE INDEX \[po_line_date_item_idx\] ON \[po_line\] \(\[po_date\] DESC, \[item_id\]\)", ddl)
    assert re.search(r"CREATE INDEX \[po_line_item_date_idx\] ON \[po_line\] \(\[item_id\], \[po_date\]\)", ddl)
    assert "CONSTRAINT [burnrate_daily_key] UNIQUE ([item_id], [location_id], [as_of_date])" in ddl


def test_every_migration_is_recorded_but_the_data_migration_left_for_migrate(ddl):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    recorded = set(re.findall(r"VALUES \('(\w+)', '(\w+)', ", ddl))
    # The data migrations (steward role, its plan permissions) and the empty merges after one run at `migrate`.
    left = {
        ("accounts", "0002_steward_group"),
        ("accounts", "0004_ldap_merge"),
        ("accounts", "0007_merge"),
        ("collector", "0005_plans_steward_location_plan_perms"),
        ("collector", "0007_merge_plans_and_pending_uploads"),
        ("collector", "0010_merge_plans_and_upload_purposes"),
        ("dashboard", "0004_kept_rows_due"),
        ("dashboard", "0006_merge_read_indexes"),
    }
    assert not recorded & left
    assert recorded | left == set(loader.disk_migrations)
    assert "accounts.0002_steward_group" in ddl.splitlines()[-1]
    assert "collector.0005_plans_steward_location_plan_perms" in ddl.splitlines()[-1]


def test_the_daily_figures_have_their_read_indexes(ddl):
    indexes = dict(re.findall(r"CREATE INDEX \[(daily_figures_\w+)\] ON \[daily_figures\] \((.*)\);", ddl))
    assert indexes == {
        "daily_figures_rank_idx": "[day], [status], [original_po_spend_90d] DESC, [group_id]",
        "daily_figures_stamp_idx": "[day], [group_id], [group_updated_at]",
        "daily_figures_pooled_idx": "[day], [status], [group_id], [compliance_started], "
        + ", ".join(f"[{name}]" for name in POOLED),
        "daily_figures_stage_share_idx": (
            "[status], [day], [stage_not_set_up], [stage_set_up], [stage_ready], [stage_live], [stage_converted]"
        ),
    }


def test_the_daily_figures_keep_the_pooled_sums_as_columns(ddl):
    table = re.search(r"CREATE TABLE \[daily_figures\] \((.*)\);", ddl).group(1)
    assert "[compliance_original_equiv] numeric(28, 6) NOT NULL" in table
    assert "[compliance_started] bit NOT NULL" in table
    assert "[sums]" not in table


def test_the_plan_data_is_in_the_script(ddl):
    plans = re.search(r"CREATE TABLE \[group_location_plan\] \((.*)\);", ddl).group(1)
    assert "[go_live_date] date NULL" in plans and "[note] nvarchar(400) NULL" in plans
    assert "CONSTRAINT [group_location_plan_key] UNIQUE ([group_id], [location_id])" in ddl
    assert re.search(r"\[ratio\] numeric\(18, 6\) DEFAULT \(?1\)? NOT NULL", ddl)
    assert "CONSTRAINT [item_link_ratio_positive] CHECK ([ratio] > " in ddl
    assert "CHECK ([use_up_policy] IN ('use_up', 'use_until_end', 'immediate'))" in ddl
    assert "[last_order_date] date NULL" in ddl and "[name] nvarchar(120) NULL" in ddl


def test_querysets_compile_to_tsql_without_a_server():
    from collector.models import ItemGroupMember

    connection = offline_connection()
    qs = ItemGroupMember.objects.filter(group_id=5).order_by("sequence")[:10]
    sql, params = qs.query.get_compiler(connection=connection).as_sql()
    assert "TOP 10" in sql or "FETCH FIRST" in sql or "OFFSET" in sql
    sqlglot.parse_one(sql.replace("%s", "1"), read="tsql")

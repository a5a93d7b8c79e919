"""DATABASE_URL picks the database; each vendor gets the options it needs."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from plmtracker.ops.db import database_from_url, local_secret_key


def test_no_url_means_sqlite_in_the_data_folder(tmp_path):
    config = database_from_url("", tmp_path / "data")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]) == tmp_path / "data" / "plmtracker.sqlite3"
    assert (tmp_path / "data").is_dir()
    # Concurrent writers queue (IMMEDIATE, busy timeout) and readers run beside them (WAL).
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_puts_every_table_in_schema_plm(tmp_path):
    config = database_from_url("postgres://app:secret@db.example.org:5433/plm", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.example.org", 5433, "plm", "app")
    assert config["OPTIONS"]["options"] == '-c search_path="PLM" -c jit=off'
    assert config["CONN_HEALTH_CHECKS"] is True


def test_mssql_url_selects_mssql_django_with_the_odbc_driver(tmp_path):
    config = database_from_url("mssql://app:pw@sql01:1433/plm?extra_params=TrustServerCertificate=yes", tmp_path)
    assert config["ENGINE"] == "mssql"
    assert config["OPTIONS"]["driver"] == "ODBC Driver 18 for SQL Server"
    assert config["OPTIONS"]["extra_params"] == "TrustServerCertificate=yes"


@pytest.mark.parametrize("url", ["mysql://root@localhost/plm", "oracle://x@y/z"])
def test_an_unsupported_database_is_refused_with_a_clear_message(url, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="sqlite://, postgres:// or mssql://"):
        database_from_url(url, tmp_path)


def test_the_development_secret_key_is_made_once_and_kept(tmp_path):
    first = local_secret_key(tmp_path)
    assert len(first) >= 50
    assert local_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0

"""backup and restore: the folder fallbacks, a consistent copy, a restore that asks first."""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from plmtracker.inventory.models import Item
from plmtracker.ops import backups
from tests.factories import ItemFactory

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backups and restores")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backups")


def not_writable(tmp_path: Path) -> Path:
    """A folder that cannot be made, even by root: its parent is a file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    return blocker / "backups"


def test_folder_order_and_fallbacks(tmp_path, monkeypatch, settings):
    monkeypatch.chdir(tmp_path)
    settings.DATA_DIR = tmp_path / "data"
    settings.BACKUP_DIR = str(tmp_path / "from-settings")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "from-env"))
    warnings = []
    assert backups.backup_dir(warnings) == tmp_path / "from-env"

    monkeypatch.setenv("BACKUP_DIR", str(not_writable(tmp_path)))
    assert backups.backup_dir(warnings) == tmp_path / "from-settings"
    assert "(BACKUP_DIR environment variable) is not writable" in warnings[0]

    settings.BACKUP_DIR = str(not_writable(tmp_path))
    assert backups.backup_dir(warnings := []) == tmp_path / "data" / "backups"
    assert len(warnings) == 2

    settings.DATA_DIR = not_writable(tmp_path)
    assert backups.backup_dir(warnings := []) == tmp_path / "backups"
    assert "(data folder) is not writable" in warnings[2]

    monkeypatch.setattr(Path, "cwd", classmethod(lambda cls: not_writable(tmp_path).parent))
    with pytest.raises(backups.BackupError, match="No backup folder is writable: set BACKUP_DIR"):
        backups.backup_dir([])


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))
    ItemFactory(erp_item_code="1000001")
    ItemFactory(erp_item_code="1000002")
    call_command("backup")
    out = capsys.readouterr().out
    [saved] = list(tmp_path.glob("*.sqlite3"))
    assert f"Backed up the sqlite database to {saved}" in out
    with sqlite3.connect(saved) as copy:
        assert copy.execute("SELECT count(*) FROM items").fetchone()[0] == 2

    Item.objects.filter(erp_item_code="1000002").delete()
    ItemFactory(erp_item_code="1000003")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled; nothing changed."):
        call_command("restore", str(saved))
    assert sorted(Item.objects.values_list("erp_item_code", flat=True)) == ["1000001", "1000003"]

    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "yes")
    call_command("restore", str(saved))
    assert "This replaces every row of" in asked[0]
    assert sorted(Item.objects.values_list("erp_item_code", flat=True)) == ["1000001", "1000002"]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_what_is_not_a_backup(tmp_path):
    csv = tmp_path / "items.csv"
    csv.write_text("erp_item_code\n1\n")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (x)")
    cases = {
        csv: "is not an SQLite database",
        other: "is not a PLM Conversion Tracker database (no django_migrations, item_group, item_link, items table)",
        tmp_path / "missing.sqlite3": "is not a file",
        Path(connection.settings_dict["NAME"]): "is the live database itself",
    }
    ItemFactory()
    for path, message in cases.items():
        with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
            call_command("restore", str(path), "--yes")
    assert Item.objects.count() == 1


@sqlite_only
def test_restore_is_for_sqlite_only(monkeypatch, tmp_path):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match="restore works on SQLite only; this site runs on postgresql.*pg_restore"):
        call_command("restore", str(tmp_path / "x.dump"), "--yes")


def test_sql_server_backups_are_the_dbas(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "microsoft")
    with pytest.raises(CommandError, match="backups are the DBA's"):
        call_command("backup")


def test_without_pg_dump_the_message_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(backups.BackupError, match="apt-get install postgresql-client"):
        backups._pg_dump(tmp_path / "x.dump")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_pg_dump_backup(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))
    ItemFactory(erp_item_code="1000001")
    call_command("backup")
    [saved] = list(tmp_path.glob("*.dump"))
    listing = subprocess.run(["pg_restore", "--list", str(saved)], capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA PLM items" in listing
    rows = subprocess.run(
        ["pg_restore", "--data-only", "--table=items", "--file=-", str(saved)], capture_output=True, text=True
    ).stdout
    assert "1000001" in rows

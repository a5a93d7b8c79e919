"""Database backups (SQLite online backup, pg_dump) and SQLite restores.

The backup folder is chosen as the operations platform does it (seed 003):
the BACKUP_DIR environment variable, then the BACKUP_DIR setting, then the
data folder's backups/, then ./backups; a place that cannot be written is
skipped with a warning.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

SQLITE_HEADER = b"SQLite format 3\x00"
REQUIRED_TABLES = {"django_migrations", "items", "item_group", "item_link"}


class BackupError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class BackupResult:
    path: Path
    vendor: str
    size: int
    warnings: list[str] = field(default_factory=list)


def backup_candidates() -> list[tuple[str, Path]]:
    """Where backups may go, in the order they are tried."""
    places = []
    if os.environ.get("BACKUP_DIR"):
        places.append(("BACKUP_DIR environment variable", Path(os.environ["BACKUP_DIR"])))
    if getattr(settings, "BACKUP_DIR", None):
        places.append(("BACKUP_DIR setting", Path(settings.BACKUP_DIR)))
    places.append(("data folder", Path(settings.DATA_DIR) / "backups"))
    places.append(("working folder", Path.cwd() / "backups"))
    return places


def backup_dir(warnings: list[str]) -> Path:
    """The first backup folder that can be written; add a warning for each one skipped."""
    for source, path in backup_candidates():
        try:
            path.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
                pass
        except OSError as exc:
            warnings.append(f"{path} ({source}) is not writable ({exc.strerror or exc}); trying the next place.")
            continue
        return path
    raise BackupError("No backup folder is writable: set BACKUP_DIR to a folder this user can write.")


def backup_database(now: datetime | None = None) -> BackupResult:
    """Write a consistent copy of the database into the backup folder."""
    vendor = connection.vendor
    if vendor == "microsoft":
        raise BackupError(
            "This site runs on SQL Server: backups are the DBA's (BACKUP DATABASE or the maintenance plan); "
            "the tracker does not copy a SQL Server database itself."
        )
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL; this database is {vendor}.")
    warnings: list[str] = []
    folder = backup_dir(warnings)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = Path(connection.settings_dict["NAME"]).stem if vendor == "sqlite" else connection.settings_dict["NAME"]
    target = folder / f"{name}-{stamp}.{'sqlite3' if vendor == 'sqlite' else 'dump'}"
    partial = target.with_name(f".{target.name}.part")
    try:
        if vendor == "sqlite":
            _sqlite_backup(partial)
        else:
            _pg_dump(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, vendor=vendor, size=target.stat().st_size, warnings=warnings)


def _sqlite_backup(target: Path) -> None:
    """SQLite's online backup API: a consistent copy while the site keeps running."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        with copy:
            connection.connection.backup(copy)
    finally:
        copy.close()


def _pg_dump(target: Path) -> None:
    program = shutil.which("pg_dump")
    if program is None:
        raise BackupError(
            "pg_dump is not installed on this machine: install the PostgreSQL client "
            "(Debian/Ubuntu: apt-get install postgresql-client) and run the backup again."
        )
    db = connection.settings_dict
    command = [program, "--format=custom", "--no-owner", f"--file={target}", "--dbname", db["NAME"]]
    if db.get("HOST"):
        command += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    if db.get("USER"):
        command += ["--username", str(db["USER"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip() or f'exit status {done.returncode}'}")


def check_sqlite_backup(path: Path) -> list[str]:
    """Refuse anything but an intact SQLite database of this tracker; return its tables."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    with open(path, "rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(
                f"{path} is not an SQLite database (restore takes the .sqlite3 files `backup` writes; "
                "a PostgreSQL .dump is restored with pg_restore)."
            )
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = source.execute("PRAGMA quick_check").fetchone()[0]
            tables = [r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as an SQLite database: {exc}.") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged (SQLite says: {verdict}); choose another backup.")
    missing = REQUIRED_TABLES - set(tables)
    if missing:
        raise BackupError(f"{path} is not a PLM Conversion Tracker database (no {', '.join(sorted(missing))} table).")
    return tables


def restore_database(path: Path) -> None:
    """Replace the SQLite database's contents with the backup at `path` (online backup API)."""
    if connection.vendor != "sqlite":
        raise BackupError(
            f"restore works on SQLite only; this site runs on {connection.vendor}. "
            "PostgreSQL: pg_restore --clean --dbname=... FILE.dump. SQL Server: the DBA's RESTORE DATABASE."
        )
    check_sqlite_backup(path)
    if Path(connection.settings_dict["NAME"]).resolve() == path.resolve():
        raise BackupError(f"{path} is the live database itself; choose a backup file.")
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()

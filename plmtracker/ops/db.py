"""Turn DATABASE_URL into Django's DATABASES entry, per vendor."""

import secrets
from pathlib import Path

import environ
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SCHEMA = "PLM"
SQLSERVER_DRIVER = "ODBC Driver 18 for SQL Server"


def database_from_url(url: str, data_dir: Path) -> dict:
    """Return the DATABASES["default"] dict for `url` (empty: SQLite in data_dir)."""
    if not url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return sqlite_config(data_dir / "plmtracker.sqlite3")
    try:
        config = environ.Env.db_url_config(url)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database address Django knows: {exc}") from exc

    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return sqlite_config(Path(config["NAME"]))
    if engine == "django.db.backends.postgresql":
        return postgresql_config(config)
    if engine == "mssql":
        return sqlserver_config(config)
    raise ImproperlyConfigured(
        f"DATABASE_URL selects {engine}; the tracker runs on sqlite://, postgres:// or mssql:// only."
    )


def sqlite_config(path: Path) -> dict:
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
    # at BEGIN so concurrent writers queue for `timeout` seconds instead of
    # failing halfway with "database is locked".
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        "TEST": {"NAME": str(path.with_name(f"test_{path.name}"))},
    }


def postgresql_config(config: dict) -> dict:
    # Table names stay unqualified; the connection's search_path puts them in
    # PLM. The quotes keep the upper case (unquoted PLM folds to plm).
    options = dict(config.get("OPTIONS", {}))
    # jit=off: the dashboard's statements are short; compiling them to machine code
    # (PostgreSQL's JIT, on by default) took longer than running them.
    options["options"] = f'-c search_path="{SCHEMA}" -c jit=off'
    # A dead or unreachable server answers within seconds, not a TCP timeout.
    options.setdefault("connect_timeout", 5)
    config["OPTIONS"] = options
    config.setdefault("CONN_MAX_AGE", 60)
    config["CONN_HEALTH_CHECKS"] = True
    return config


def sqlserver_config(config: dict) -> dict:
    # mssql-django has no schema setting: the app's login carries
    # DEFAULT_SCHEMA = PLM (see README, "SQL Server").
    options = dict(config.get("OPTIONS", {}))
    options.setdefault("driver", SQLSERVER_DRIVER)
    config["OPTIONS"] = options
    config.setdefault("CONN_MAX_AGE", 60)
    config["CONN_HEALTH_CHECKS"] = True
    return config


def local_secret_key(data_dir: Path) -> str:
    """Return a development secret key kept in the data folder, creating it once."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def database_settings_summary() -> dict[str, str]:
    db = settings.DATABASES["default"]
    vendor = {
        "django.db.backends.sqlite3": "SQLite",
        "django.db.backends.postgresql": "PostgreSQL",
        "mssql": "SQL Server",
    }
    engine = vendor.get(db["ENGINE"], db["ENGINE"])
    where = (
        db["NAME"] if engine == "SQLite" else f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or ''} / {db['NAME']}"
    )
    return {"engine": engine, "where": str(where)}

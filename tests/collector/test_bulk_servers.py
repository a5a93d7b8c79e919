"""A bulk upload previewed on one app server and committed on another (a load balancer without sticky sessions).

Two `manage.py runserver` processes on free loopback ports share the test
database (on SQLite a file copy of it, on PostgreSQL the test database
itself); a client logs in and previews on server A, then commits on B.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.db import connection

from collector.models import ItemGroup, ItemLink, PendingUpload
from tests.factories import ItemFactory, UserFactory
from tests.servers import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "two-servers-pw-2026"


def database_url(tmp_path: Path) -> str:
    """A DATABASE_URL other processes can open, holding what the test wrote."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        # The test database lives in memory: copy it to a file both servers open.
        path = tmp_path / "two-servers.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "")
        password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
    pytest.skip(f"two app servers are tested on SQLite and PostgreSQL, not {connection.vendor}")


@contextmanager
def app_server(url: str, home: Path):
    """A server with its own temporary folder, as on another machine."""
    port, log = free_port(), home / "server.log"
    (home / "tmp").mkdir(parents=True)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.settings", "TMPDIR": str(home / "tmp")}
    env.pop("DJANGO_DEBUG", None)
    with open(log, "w") as out:
        child = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, child, log, seconds=30)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=10)


def csrf_of(page: requests.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


@pytest.mark.django_db(transaction=True)
def test_preview_on_one_server_and_commit_on_another(tmp_path):
    user = UserFactory(email="two.servers@example.org")
    user.set_password(PASSWORD)
    user.save()
    codes = [ItemFactory().erp_item_code for _ in range(3)]
    url = database_url(tmp_path)

    with app_server(url, tmp_path / "a") as server_a, app_server(url, tmp_path / "b") as server_b:
        browser = requests.Session()
        login = browser.get(f"{server_a}/login")
        answer = browser.post(
            f"{server_a}/login",
            {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_of(login)},
            allow_redirects=False,
        )
        assert answer.status_code == 302, answer.text

        form = browser.get(f"{server_a}/collect/bulk")
        links = f"item,replace,reason\n{codes[0]},{codes[1]},EOL\n{codes[0]},{codes[2]},\n"
        preview = browser.post(
            f"{server_a}/collect/bulk",
            {"csrfmiddlewaretoken": csrf_of(form)},
            files={"file": ("links.csv", links.encode(), "text/csv")},
        )
        assert preview.status_code == 200, preview.text
        token = re.search(r'name="token" value="([0-9a-f]+)"', preview.text).group(1)

        done = browser.post(
            f"{server_b}/collect/bulk", {"csrfmiddlewaretoken": csrf_of(preview), "action": "commit", "token": token}
        )
        assert done.status_code == 200, done.text
        assert "Added 2 links from links.csv" in done.text

        if connection.vendor == "sqlite":
            # The servers wrote to the file copy: read it there.
            with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
                assert db.execute("SELECT count(*) FROM item_link").fetchone() == (2,)
                assert db.execute("SELECT count(*) FROM bulk_pending_upload").fetchone() == (0,)
        else:
            assert ItemLink.objects.count() == 2 and ItemGroup.objects.count() == 1
            assert not PendingUpload.objects.exists()

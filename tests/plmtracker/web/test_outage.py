"""A real PostgreSQL server stops and starts under a running app.

The test makes a throwaway cluster on a spare port (initdb/pg_ctl as the
postgres user), serves the app from it with gunicorn, stops the server, checks
what users get, starts it again and checks the app recovers by itself.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] if Path("/usr/lib/postgresql").exists() else None

pytestmark = [
    pytest.mark.skipif(
        PG_BIN is None or os.geteuid() != 0 or shutil.which("runuser") is None,
        reason="Outage test needs PostgreSQL's server binaries and root (to run them as the postgres user).",
    ),
    pytest.mark.slow,  # its own PostgreSQL server and gunicorn
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, check=check)


class Cluster:
    def __init__(self, base: Path):
        self.dir = base / "pgdata"
        self.port = free_port()
        self.dir.mkdir()
        shutil.chown(base, "postgres")
        shutil.chown(self.dir, "postgres")
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.dir), "-A", "trust", "-U", "postgres", "--no-sync")

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-o", options, "-l", str(self.dir / "log"), "-w", *args
        )

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")


class Browser:
    """Just enough of a browser: cookies, CSRF token, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=20) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)


def reachable_by_others(folder: Path) -> list[tuple[Path, int]]:
    """Let other users (postgres) pass through the folder's parents (search, not list); the modes changed."""
    changed = []
    for parent in folder.parents:
        mode = stat.S_IMODE(parent.stat().st_mode)
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)
            changed.append((parent, mode))
    return changed


@pytest.fixture
def served_app(tmp_path):
    # pytest's tmp_path is private to root and the server runs as postgres: open the way in, then close it.
    base = tmp_path / "outage"
    base.mkdir()
    opened = reachable_by_others(base)
    cluster = Cluster(base)
    cluster.start()
    gunicorn = None
    try:
        as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "plm")
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/plm",
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DJANGO_SUPERUSER_EMAIL": "root@example.org",
            "DJANGO_SUPERUSER_PASSWORD": "outage-test-password-1",
            "PYTHONPATH": str(ROOT),
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*manage, "createsuperuser", "--noinput"], env=env, check=True, cwd=ROOT, capture_output=True)
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "plmtracker.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(base / "gunicorn.log").open("w"),
        )
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield cluster, Browser(url)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=20)
            sys.stderr.write((base / "gunicorn.log").read_text()[-4000:])
        if (cluster.dir / "postmaster.pid").exists():
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(base, ignore_errors=True)
        for parent, mode in opened:
            parent.chmod(mode)


def log_in(browser: Browser) -> None:
    status, page, _ = browser.request("/login")
    assert status == 200
    token = browser.cookie("csrftoken")
    status, _, headers = browser.request(
        "/login",
        {"username": "root@example.org", "password": "outage-test-password-1", "csrfmiddlewaretoken": token},
        headers={"Referer": browser.base + "/login"},
    )
    assert status == 302, "login failed"


def test_pages_answer_503_with_guidance_while_the_database_is_down_and_recover_after(served_app):
    cluster, browser = served_app
    log_in(browser)
    assert browser.request("/healthz")[0] == 200
    assert browser.request("/admin/")[0] == 200

    cluster.stop()

    status, body, headers = browser.request("/healthz")
    assert status == 503
    assert '"database": "unreachable"' in body

    status, body, headers = browser.request("/admin/")
    assert status == 503
    assert headers.get("Retry-After") == "30"
    assert "cannot reach its database" in body
    assert "DATABASE_URL" in body and "df -h" in body and "pg_ctlcluster" in body
    assert f"127.0.0.1:{cluster.port}" in body
    assert "Traceback" not in body and 'File "' not in body

    status, body, _ = browser.request("/admin/", headers={"Accept": "application/json"})
    assert status == 503
    assert re.search(r'"error": "The database is unreachable \(PostgreSQL at 127\.0\.0\.1:\d+ / plm\)', body)

    # An anonymous visitor gets the same answer, not a login page.
    anonymous = Browser(browser.base)
    status, body, _ = anonymous.request("/login")
    assert status in (200, 503)  # the login form itself needs no database until it is posted

    cluster.start()

    # The very next requests work, without restarting the app.
    assert browser.request("/healthz")[0] == 200
    status, body, _ = browser.request("/admin/")
    assert status == 200 and "Curation and master data" in body

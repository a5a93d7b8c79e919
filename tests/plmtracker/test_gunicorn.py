"""gunicorn.conf.py: two instances on one host keep out of each other's way.

gunicorn 25.1+ opens a control socket at one path per user by default, so a
second instance took the first one's socket (and stopping either removed it).
Both instances here run as the same user, with the same home directory.
"""

from __future__ import annotations

import os
import runpy
import socket
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests

from tests.servers import free_port, wait_until_healthy

# Real gunicorn processes on free ports: out of the fast lane.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def gunicorn(home: Path, name: str, **env: str):
    """One instance with the repository's gunicorn.conf.py, one worker, on a free loopback port."""
    port, log = free_port(), home / f"{name}.log"
    data = home / name
    data.mkdir()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", "GUNICORN_CONTROL_SOCKET")},
        "HOME": str(home),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "PLM_DATA_DIR": str(data),
        **env,
    }
    with open(log, "w") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "plmtracker.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, child, log)
        yield base, log
    finally:
        child.terminate()
        child.wait(timeout=30)


def test_two_instances_open_no_shared_control_socket(tmp_path):
    with ExitStack() as stack:
        first, first_log = stack.enter_context(gunicorn(tmp_path, "first"))
        second, second_log = stack.enter_context(gunicorn(tmp_path, "second"))
        assert requests.get(f"{first}/healthz", timeout=5).json()["status"] == "ok"
        assert requests.get(f"{second}/healthz", timeout=5).json()["status"] == "ok"
        assert not (tmp_path / ".gunicorn").exists()
    for log in (first_log, second_log):
        assert "Control socket" not in log.read_text()


def test_each_instance_may_name_a_control_socket_of_its_own(tmp_path):
    sockets = {name: tmp_path / f"{name}.ctl" for name in ("first", "second")}
    with ExitStack() as stack:
        for name, path in sockets.items():
            stack.enter_context(gunicorn(tmp_path, name, GUNICORN_CONTROL_SOCKET=str(path)))
        for name, path in sockets.items():
            assert path.is_socket(), (tmp_path / f"{name}.log").read_text()
        for path in sockets.values():  # each instance listens on its own
            with socket.socket(socket.AF_UNIX) as client:
                client.connect(str(path))
    for name, path in sockets.items():
        assert f"Control socket listening at {path}" in (tmp_path / f"{name}.log").read_text()


@pytest.mark.parametrize(("env", "disabled"), [({}, True), ({"GUNICORN_CONTROL_SOCKET": "/run/plm/a.ctl"}, False)])
def test_the_control_socket_is_off_unless_a_path_is_given(monkeypatch, env, disabled):
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["control_socket_disable"] is disabled

"""The repo's gunicorn.conf.py kills a gthread worker whose request runs past GUNICORN_TIMEOUT.

gunicorn's own timeout watches the worker's heartbeat, which a gthread worker's main thread keeps
up however long its request threads run; the config's hooks date the heartbeat to the oldest
request in flight. Here a real gunicorn (the repo's config, a free port, one worker of two
threads, a 2 s timeout) serves a test-only app whose /spin request keeps a CPU busy for a minute.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# A real gunicorn and a minute-long request: out of the fast lane.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode()
    finally:
        connection.close()


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_TIMEOUT": str(TIMEOUT),
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    command += ["--worker-tmp-dir", str(tmp_path), "--no-control-socket", "tests.plmtracker.slow_app:application"]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                get(port, "/pid", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_runaway_request_gets_its_worker_killed_and_replaced(gunicorn):
    port, log = gunicorn
    first = get(port, "/pid", timeout=5)
    started = time.monotonic()
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        get(port, "/spin", timeout=30)  # the worker dies under it: no answer, the connection drops
    killed_after = time.monotonic() - started
    assert TIMEOUT <= killed_after < TIMEOUT + 10, f"the request ran {killed_after:.1f} s"
    second = get(port, "/pid", timeout=10)
    assert second != first  # a new worker answers
    assert f"WORKER TIMEOUT (pid:{first})" in log.read_text()


def test_short_requests_keep_their_worker(gunicorn):
    port, log = gunicorn
    first = get(port, "/pid", timeout=5)
    for _ in range(3):
        time.sleep(TIMEOUT)  # idle longer than the timeout: the heartbeat goes on
        assert get(port, "/pid", timeout=5) == first
    assert "WORKER TIMEOUT" not in log.read_text()

"""scripts/setup.sh waits while another installer holds apt's lock (issue 13, finding 11).

A stand-in for apt-get refuses, with apt's own message, while a lock file is held
(flock); the real one is never called.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FAKE_APT_GET = """#!/usr/bin/env bash
exec 9>>"$FAKE_LOCK"
if ! flock -n 9; then
  echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2
  exit 100
fi
if [ -n "${FAKE_ERROR:-}" ]; then echo "E: $FAKE_ERROR" >&2; exit 100; fi
echo "$*" >> "$FAKE_LOG"
"""

pytestmark = pytest.mark.skipif(not shutil.which("flock"), reason="needs flock (util-linux)")


@pytest.fixture
def apt(tmp_path):
    fake = tmp_path / "apt-get"
    fake.write_text(FAKE_APT_GET)
    fake.chmod(0o755)
    lock, log = tmp_path / "lock-frontend", tmp_path / "calls.log"
    env = {
        **os.environ,
        "PLM_APT_GET": str(fake),
        "FAKE_LOCK": str(lock),
        "FAKE_LOG": str(log),
        "PLM_APT_LOCK_PAUSE": "0.2",
    }
    holders = []

    def hold(seconds: float):
        holder = subprocess.Popen(["flock", str(lock), "sleep", str(seconds)])
        holders.append(holder)
        deadline = time.monotonic() + 5
        while subprocess.run(["flock", "-n", str(lock), "true"]).returncode == 0:
            assert time.monotonic() < deadline, "the lock holder did not start"
            time.sleep(0.05)

    def run(*args: str, **extra: str):
        started = time.monotonic()
        script = f'source "{ROOT}/scripts/apt_wait.sh"; plm_apt "$@"'
        done = subprocess.run(
            ["bash", "-c", script, "plm_apt", *args], env={**env, **extra}, capture_output=True, text=True, timeout=60
        )
        return done, time.monotonic() - started, log.read_text() if log.exists() else ""

    yield hold, run
    for holder in holders:
        holder.kill()
        holder.wait()


def test_waits_for_the_lock_then_installs(apt):
    hold, run = apt
    hold(2)
    done, took, calls = run("install", "-y", "unixodbc", PLM_APT_LOCK_WAIT="30")
    assert done.returncode == 0, done.stderr
    assert took >= 1.5
    assert "waiting" in done.stderr
    assert calls.strip() == "-o DPkg::Lock::Timeout=30 install -y unixodbc"


def test_gives_up_when_the_lock_stays_held(apt):
    hold, run = apt
    hold(30)
    done, took, calls = run("update", PLM_APT_LOCK_WAIT="1")
    assert done.returncode == 100
    assert "still locked by another installer after 1 s" in done.stderr
    assert took < 10 and calls == ""


def test_other_errors_fail_at_once(apt):
    _, run = apt
    done, took, _ = run("install", "-y", "no-such-package", FAKE_ERROR="Unable to locate package no-such-package")
    assert done.returncode == 100 and "Unable to locate package" in done.stderr
    assert "waiting" not in done.stderr and took < 5


def test_setup_uses_the_waiting_apt():
    setup = (ROOT / "scripts/setup.sh").read_text()
    assert "apt_wait.sh" in setup
    assert "apt-get update" not in setup and "apt-get install" not in setup

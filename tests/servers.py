"""Helpers for tests that start servers of their own (app servers, gunicorn) on loopback."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(base: str, child: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Wait for `base`/healthz to answer 200; fail with the server's log when it exits or takes too long."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or the worker still booting
            pass
        if child.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the server at {base} did not start:\n{log.read_text()}")
        time.sleep(0.2)

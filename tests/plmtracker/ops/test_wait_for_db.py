"""`manage.py wait_for_db` (run by scripts/start.sh before migrating)."""

import os
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_reports_a_reachable_database():
    out = StringIO()
    call_command("wait_for_db", timeout=5, stdout=out)
    assert out.getvalue().startswith("Database reachable: ")


@pytest.mark.slow  # waits out its timeout
def test_gives_up_with_what_to_check_when_nothing_answers():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/plm",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "wait_for_db", "--timeout", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert f"PostgreSQL at 127.0.0.1:{port} / plm) did not answer within 1 s" in done.stderr
    assert "DATABASE_URL" in done.stderr and "Traceback" not in done.stderr

"""scripts/run_demo.sh and the demo's settings: links follow PORT, and strangers see the site's pages, not Django's."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Runs under plmtracker.demo_settings in a fresh process: an empty database, an unknown page, a static file.
PROBE = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/no-such-page/at-all")
static = client.get("/static/css/app.css")
print("DEBUG", settings.DEBUG)
print("MISSING", missing.status_code, missing["Content-Type"])
print("STATIC", static.status_code)
print(missing.content.decode())
"""


def test_demo_sets_the_base_url_from_port(tmp_path):
    """The script as written, with set-up and Python stood in for: each python call records its environment."""
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    shutil.copy(ROOT / "scripts" / "run_demo.sh", scripts / "run_demo.sh")
    (scripts / "setup.sh").write_text("# the real one installs packages; nothing to do here\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").write_text('#!/bin/sh\necho "$PLM_BASE_URL $DJANGO_SETTINGS_MODULE $*" >> "$RECORD"\n')
    (bin_dir / "python").chmod(0o755)
    record = tmp_path / "record.txt"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "RECORD": str(record), "PORT": "8765"}
    result = subprocess.run(["bash", str(scripts / "run_demo.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8765/" in result.stdout
    calls = record.read_text().splitlines()
    assert [call.split()[2:4] for call in calls] == [
        ["manage.py", "migrate"],
        ["manage.py", "seed_demo"],
        ["manage.py", "runserver"],
    ]
    assert all(call.startswith("http://127.0.0.1:8765 plmtracker.demo_settings ") for call in calls), calls
    assert calls[-1].endswith("runserver 127.0.0.1:8765")


def test_demo_runs_with_debug_off_and_the_sites_own_404(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PLM_", "DATABASE_URL", "PYTEST"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "plmtracker.demo_settings",
        "DJANGO_DEBUG": "1",  # the demo turns it off all the same
        "PLM_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "DEBUG False" in out
    assert "MISSING 404 text/html" in out and "STATIC 200" in out
    assert "Error 404" in out and "Go to the start page" in out  # templates/error.html
    assert "URLconf" not in out and "Using the URLconf" not in out and "DEBUG = True" not in out
    assert (tmp_path / "secret_key").exists()  # the key kept in the data folder, not one in the code

#!/usr/bin/env bash
# Set up a fresh machine and run the tracker on SQLite with demo data.
set -euo pipefail
source "$(dirname "$0")/setup.sh" runtime

export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
port="${PORT:-8000}"
python manage.py migrate --verbosity 0
python manage.py seed_demo --scale "${PLM_DEMO_SCALE:-small}" --if-empty

cat <<TXT

  PLM Conversion Tracker is starting on http://127.0.0.1:${port}/
  Log in as planner@example.org (planner), steward@example.org (data steward)
  or admin@example.org (admin); the password is plm-demo-2026 for all three.
  Stop it with Ctrl+C.

TXT
exec python manage.py runserver "127.0.0.1:${port}"

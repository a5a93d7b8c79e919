#!/usr/bin/env bash
# Set up a fresh machine and run the tracker on SQLite with demo data.
set -euo pipefail
source "$(dirname "$0")/setup.sh" runtime

# The demo's settings: DEBUG off (the site's own error pages), plain http, static files from the source.
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-plmtracker.demo_settings}"
port="${PORT:-8000}"
# Links in the digest e-mails and the attention CSV point at the port the demo listens on.
export PLM_BASE_URL="${PLM_BASE_URL:-http://127.0.0.1:${port}}"
python manage.py migrate --verbosity 0
python manage.py seed_demo --scale "${PLM_DEMO_SCALE:-small}" --if-empty

cat <<TXT

  PLM Conversion Tracker is starting on http://127.0.0.1:${port}/
  Log in as planner@example.org (planner), steward@example.org (data steward)
  or admin@example.org (admin); the password is plm-demo-2026 for all three.
  Stop it with Ctrl+C.

TXT
# --insecure is not needed: whitenoise serves the static files with DEBUG off.
exec python manage.py runserver "127.0.0.1:${port}"

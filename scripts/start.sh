#!/usr/bin/env bash
# Production start: check the database, migrate, collect static files, run gunicorn.
# Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and usually DATABASE_URL in the environment.
# gunicorn listens on 127.0.0.1:${PORT:-8000} unless BIND says otherwise (gunicorn.conf.py).
set -euo pipefail
source "$(dirname "$0")/setup.sh" runtime

python manage.py wait_for_db --timeout "${PLM_DB_WAIT:-60}"
python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 0
exec gunicorn -c gunicorn.conf.py plmtracker.wsgi

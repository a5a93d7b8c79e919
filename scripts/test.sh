#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite (extra arguments go to pytest).
# On SQLite by default; set DATABASE_URL=postgres://... to run it on PostgreSQL.
set -euo pipefail
source "$(dirname "$0")/setup.sh" dev
exec python -m pytest "$@"

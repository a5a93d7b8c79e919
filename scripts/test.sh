#!/usr/bin/env bash
# Set up a fresh machine and run the whole test suite (extra arguments go to pytest).
# On SQLite by default; set DATABASE_URL=postgres://... to run it on PostgreSQL.
# `--fast` (first argument) runs the fast lane: every test not marked `slow` (no browser,
# no servers of its own, no directory, no threads, no fuzz run, no demo seeding), on two
# workers (pytest-xdist; pytest-django gives each worker its own test database).
set -euo pipefail
fast=()
if [ "${1:-}" = --fast ]; then
  shift
  fast=(-m "not slow" -n 2)
fi
source "$(dirname "$0")/setup.sh" dev
exec python -m pytest "${fast[@]}" "$@"

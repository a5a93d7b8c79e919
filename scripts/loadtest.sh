#!/usr/bin/env bash
# A bounded loopback load test on PostgreSQL: gunicorn serving the app, locust running
# 16 concurrent sessions for 60 seconds (dashboard, group KPIs, typeahead, new links),
# then a check that no link was lost and the graph keeps its rules.
#   scripts/loadtest.sh [small|medium]      (PG_URL=postgres://user@host:port to use another server)
set -euo pipefail
source "$(dirname "$0")/setup.sh" dev

scale="${1:-small}"
users="${PLM_LOAD_USERS:-16}"
duration="${PLM_LOAD_SECONDS:-60}"
server="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
db="plm_load_$(date +%s)"
port="${PLM_LOAD_PORT:-8765}"
work="$(mktemp -d)"

pg() { python - "$server" "$@" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1) + "/postgres", autocommit=True) as conn:
    for statement in sys.argv[2:]:
        conn.execute(statement)
PY
}

export DATABASE_URL="$server/$db"
export DJANGO_SECRET_KEY="load-test-only-$(date +%s)-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost" DJANGO_HTTPS=0 DJANGO_DEBUG=0
export PLM_LOAD_CODES="$work/codes" PLM_LOAD_GROUPS="$work/groups" PLM_LOAD_CREATED="$work/created"

cleanup() {
  [ -n "${gunicorn_pid:-}" ] && kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null || true
  pg "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT

pg "CREATE DATABASE \"$db\""
python manage.py migrate --verbosity 0
python manage.py seed_demo --scale "$scale" --verbosity 0 >/dev/null
python manage.py collectstatic --noinput --verbosity 0
python manage.py shell -c "
from plmtracker.inventory.models import Item
from collector.models import ItemGroup
open('$work/codes', 'w').write('\n'.join(Item.objects.values_list('erp_item_code', flat=True)))
open('$work/groups', 'w').write('\n'.join(str(g) for g in ItemGroup.objects.filter(status='active').values_list('pk', flat=True)))
"

WEB_CONCURRENCY="${WEB_CONCURRENCY:-3}" GUNICORN_THREADS="${GUNICORN_THREADS:-4}" BIND="127.0.0.1:$port" \
  gunicorn -c gunicorn.conf.py plmtracker.wsgi --access-logfile /dev/null >"$work/gunicorn.log" 2>&1 &
gunicorn_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

echo "== load: $users sessions for ${duration}s against gunicorn (${WEB_CONCURRENCY:-3} workers x ${GUNICORN_THREADS:-4} threads) on PostgreSQL, $scale demo data"
locust -f loadtest/locustfile.py --headless --users "$users" --spawn-rate "$users" --run-time "${duration}s" \
  --host "http://127.0.0.1:$port" --csv "$work/load" --only-summary --loglevel WARNING 2>&1 | tail -n 25 || true

load_rc=0
python - "$work/load_stats.csv" <<'PY' || load_rc=$?
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"\n{'endpoint':<28} {'requests':>9} {'failures':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
for r in rows:
    print(f"{r['Name']:<28} {r['Request Count']:>9} {r['Failure Count']:>9} {float(r['Requests/s']):>8.1f} "
          f"{r['50%']:>7} {r['95%']:>7} {r['99%']:>7}")
total = next(r for r in rows if r["Name"] == "Aggregated")
print(f"\nerrors: {total['Failure Count']} of {total['Request Count']} requests")
sys.exit(1 if int(total["Failure Count"]) else 0)
PY

echo "== after the load"
verify_rc=0
python loadtest/verify.py "$work/created" || verify_rc=$?
exit $(( load_rc || verify_rc ))

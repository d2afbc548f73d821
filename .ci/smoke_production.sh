#!/usr/bin/env bash
# The production stack of docker-compose.yml, run on the host (no Docker engine here): the
# image's collectstatic with DEBUG=0, migrate, gunicorn with the production settings on
# PostgreSQL and Redis, one Celery worker and one beat, and an SMTP server on loopback. Then
# .ci/smoke_production.py drives it as a person would (see there). Everything started here is
# stopped by process id on exit. Needs PostgreSQL on 127.0.0.1:5432 and Redis on :6379.
#
#   bash .ci/smoke_production.sh        (SMOKE_PORT, SMOKE_DB, SMOKE_REDIS_DB to move it)
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-.venv/bin/python}"
PORT="${SMOKE_PORT:-8390}"
SMTP_PORT="${SMOKE_SMTP_PORT:-8391}"
DB="${SMOKE_DB:-krets_ci_prod}"
WORK="$(mktemp -d /tmp/krets-smoke-prod.XXXXXX)"
pids=()

stop_all() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for log in "$WORK"/*.log; do echo "--- $log"; tail -40 "$log"; done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap stop_all EXIT

# Starts a command in its own process group, logging to $WORK/NAME.log; remembers its pid.
start() {
  local name=$1; shift
  setsid "$@" > "$WORK/$name.log" 2>&1 &
  pids+=("$!")
}

# The compose file's environment, with the hosts of this machine.
export DEBUG=0
export SECRET_KEY="smoke-$(head -c 24 /dev/urandom | base64)"
export ALLOWED_HOSTS=127.0.0.1
export SITE_URL="https://127.0.0.1:$PORT"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export REDIS_URL="redis://127.0.0.1:6379/${SMOKE_REDIS_DB:-11}"
export CACHE_PREFIX=smoke-prod
export EMAIL_URL="smtp://127.0.0.1:$SMTP_PORT"
unset BROKER_URL DEMO_MODE REQUIRE_MFA

echo "production smoke: a fresh database $DB, static files, migrations"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" postgres
redis-cli -n "${SMOKE_REDIS_DB:-11}" flushdb > /dev/null
# As the Dockerfile builds the image, beside the migrations (they do not need each other).
"$PY" manage.py collectstatic --no-input -v0 > "$WORK/collectstatic.log" 2>&1 &
collect=$!
"$PY" manage.py migrate --no-input -v0
wait "$collect" || { cat "$WORK/collectstatic.log"; exit 1; }

start smtp "$PY" bench/smtp_sink.py "$SMTP_PORT" "$WORK/mail.tsv"
# The commands of docker-compose.yml's web, worker and beat services.
start web .venv/bin/gunicorn krets.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --access-logfile -
start worker .venv/bin/celery -A krets worker --loglevel=INFO --concurrency=2
start beat .venv/bin/celery -A krets beat --loglevel=INFO \
  --scheduler django_celery_beat.schedulers:DatabaseScheduler

"$PY" .ci/smoke_production.py --port "$PORT" --mail-log "$WORK/mail.tsv"
# compose's health check of web and worker: database, cache, broker and beat's last tick.
"$PY" scripts/healthcheck.py "http://127.0.0.1:$PORT/healthz" > /dev/null
echo "  /healthz answers 200 through compose's health check"
# The nightly backup, by hand: pg_dump of the server's major version.
"$PY" manage.py backup --dir "$WORK/backups" > /dev/null
echo "  manage.py backup wrote $(ls "$WORK/backups")"
echo "production smoke: passed"

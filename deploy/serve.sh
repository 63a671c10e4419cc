#!/usr/bin/env bash
# The production profile in one command (`make serve`): check the configuration, collect static
# files, migrate, create the cache table, then run the web server (gunicorn), the task worker and
# the scheduler together. When one of them stops, the others are stopped too and the script
# exits non-zero, so a supervisor sees the failure. On a server, prefer the systemd units in
# deploy/ (one unit per process). docs/deploy.md explains every step.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
export HOST=${HOST:-127.0.0.1} PORT=${PORT:-8000}
export SATUPINTU_VAR_DIR=${SATUPINTU_VAR_DIR:-$PWD/var}
unset DJANGO_DEBUG SATUPINTU_TESTING

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*|pgsql://*) ;;
  *) echo "serve: set DATABASE_URL to the PostgreSQL database, e.g. postgres://satupintu@127.0.0.1:5432/satupintu" >&2; exit 2 ;;
esac

mkdir -p "$SATUPINTU_VAR_DIR"
if [[ -z "${DJANGO_SECRET_KEY:-}" ]]; then
  # One key per installation, made once and kept beside the data (never in the repository).
  key_file="$SATUPINTU_VAR_DIR/secret_key"
  if [[ ! -s "$key_file" ]]; then
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$key_file")
    echo "serve: made a new secret key in $key_file"
  fi
  DJANGO_SECRET_KEY=$(<"$key_file")
  export DJANGO_SECRET_KEY
fi

if [[ -z "${SATUPINTU_CARD_KEY:-}${SATUPINTU_CARD_KEY_FILE:-}" ]]; then
  # The control card's chain key (docs/security.md): outside the database, made once per installation.
  card_key="$SATUPINTU_VAR_DIR/card.key"
  if [[ ! -s "$card_key" ]]; then
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_hex(32))' >"$card_key")
    echo "serve: made a new control-card key in $card_key (back it up with the database)"
  fi
  export SATUPINTU_CARD_KEY_FILE="$card_key"
fi

if [[ -z "${SATUPINTU_CACHE_URL:-}${REDIS_URL:-}" ]]; then
  # Redis when one answers on this machine, else the database cache (shared by every process too).
  if "$PY" -c 'import redis; redis.Redis(socket_connect_timeout=1).ping()' 2>/dev/null; then
    export SATUPINTU_CACHE_URL=redis://127.0.0.1:6379/0
  else
    export SATUPINTU_CACHE_URL=db://
  fi
fi
echo "serve: cache ${SATUPINTU_CACHE_URL:-$REDIS_URL}"

# check --deploy, collectstatic, migrate, createcachetable (one process).
"$PY" manage.py release_prepare

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap stop EXIT
trap 'stop; exit 0' INT TERM
DATABASE_APPLICATION_NAME=satupintu-worker "$PY" manage.py worker --no-reload & pids+=($!)
DATABASE_APPLICATION_NAME=satupintu-scheduler "$PY" manage.py scheduler & pids+=($!)
DATABASE_APPLICATION_NAME=satupintu-web "$BIN/gunicorn" --config deploy/gunicorn.conf.py & pids+=($!)
echo "serve: http://$HOST:$PORT/ (web, worker and scheduler; Ctrl-C stops all)"
set +e
wait -n
status=$?
echo "serve: a process stopped (exit $status); stopping the others" >&2
exit $(( status == 0 ? 1 : status ))

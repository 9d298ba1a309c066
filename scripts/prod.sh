#!/usr/bin/env bash
# The production shape on this machine: gunicorn, a Celery worker, the encoder and beat, against the
# local PostgreSQL and Redis (or DATABASE_URL / REDIS_URL if set). Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

if [ ! -s var/secret_key ]; then
  .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
fi
export DEBUG=false
export SECRET_KEY_FILE="$PWD/var/secret_key"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/casebook}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
# Served over plain HTTP on this machine only; a real deployment terminates TLS in front
# (set BEHIND_PROXY=true there and leave this on).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"

db_name="${DATABASE_URL##*/}"
db_server="${DATABASE_URL%/*}/postgres"
if ! psql "$db_server" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'" | grep -q 1; then
  psql "$db_server" -qc "CREATE DATABASE \"$db_name\""
fi

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput -v0
if [ "${LOAD_DEMO:-false}" = true ]; then
  .venv/bin/python manage.py load_demo   # demo users with a published password: trials only
else
  .venv/bin/python manage.py load_framework
fi

trap 'kill 0' EXIT
.venv/bin/celery -A config worker --queues=celery --loglevel=INFO --concurrency=2 &
# The encoder: embeds the drafts that web requests wait for, and the cases that change, on
# queues of its own, in one process that holds the model (the web and worker's do not).
.venv/bin/celery -A config worker --queues=encode,embed --pool=solo --hostname=encoder@%h --loglevel=INFO &
.venv/bin/celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule &
PROMETHEUS_MULTIPROC_DIR="$PWD/var/prometheus" BIND=127.0.0.1:8000 WEB_CONCURRENCY=2 \
  .venv/bin/gunicorn -c config/gunicorn.py &
wait -n

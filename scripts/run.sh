#!/usr/bin/env bash
# Start conflictmap's processes; the one place their command lines are written.
#   scripts/run.sh          web server, Celery worker and Celery beat together; Ctrl-C stops them
#   scripts/run.sh web      the web server only (gunicorn on $HOST:$PORT)
#   scripts/run.sh worker   the Celery worker only
#   scripts/run.sh beat     Celery beat only: the sweep that re-enqueues lagging layers (one per site)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"

case "${1:-both}" in
  web)
    exec .venv/bin/gunicorn conflictmap.wsgi --bind "$HOST:$PORT" --workers "${WEB_WORKERS:-3}" \
      --log-level warning --access-logfile - ;;
  worker)
    # The main queue first: a new edit's rebuild goes before the chunks of a long build.
    queue="${CELERY_QUEUE:-conflictmap}"
    exec .venv/bin/celery -A conflictmap worker --loglevel INFO --concurrency "${WORKER_CONCURRENCY:-2}" \
      -Q "$queue,$queue-chunks" ;;
  beat)
    schedule="${BEAT_SCHEDULE_FILE:-.local/celerybeat-schedule}"
    mkdir -p "$(dirname "$schedule")"
    exec .venv/bin/celery -A conflictmap beat --loglevel INFO --schedule "$schedule" ;;
  both)
    "$0" worker &
    worker=$!
    "$0" beat &
    beat=$!
    "$0" web &
    web=$!
    stop() { trap - INT TERM EXIT; kill $web $worker $beat 2>/dev/null; wait 2>/dev/null; }
    trap 'stop; exit 0' INT TERM  # Ctrl-C is how a reader stops it: not an error
    trap stop EXIT
    sleep 1
    printf '\n\033[1mconflictmap is running: http://%s:%s/\033[0m  (admin /admin/, API /api/schema/; Ctrl-C stops)\n\n' "$HOST" "$PORT"
    wait -n $web $worker $beat ;;
  *)
    echo "usage: scripts/run.sh [web|worker|beat]" >&2; exit 2 ;;
esac

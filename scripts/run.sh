#!/usr/bin/env bash
# Start conflictmap's processes; the one place their command lines are written.
#   scripts/run.sh          nginx on $HOST:$PORT in front of gunicorn, the Celery worker and Celery
#                           beat, together; Ctrl-C stops them
#   scripts/run.sh web      gunicorn only, on $HOST:$PORT (behind a proxy: PROXY_COUNT=1)
#   scripts/run.sh proxy    nginx only (scripts/nginx.conf), on $HOST:$PORT, in front of $UPSTREAM
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
  proxy)
    prefix="${NGINX_PREFIX:-$PWD/.local/nginx}"  # its config, pid and temp files
    mkdir -p "$prefix"
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@HOST@|$HOST|g" -e "s|@PORT@|$PORT|g" \
        -e "s|@UPSTREAM@|${UPSTREAM:-127.0.0.1:$((PORT + 1))}|g" -e "s|@STATIC@|$PWD/.local/static|g" \
        -e "s|@MAX_BODY_MB@|$(( ${IMPORT_MAX_CSV_MB:-300} > ${IMPORT_MAX_MB:-20} ? ${IMPORT_MAX_CSV_MB:-300} + 5 : ${IMPORT_MAX_MB:-20} + 5 ))|g" \
        scripts/nginx.conf > "$prefix/nginx.conf"  # the larger import limit (settings.py), and its form
    exec nginx -p "$prefix" -c "$prefix/nginx.conf" -e stderr ;;
  beat)
    schedule="${BEAT_SCHEDULE_FILE:-.local/celerybeat-schedule}"
    mkdir -p "$(dirname "$schedule")"
    exec .venv/bin/celery -A conflictmap beat --loglevel INFO --schedule "$schedule" ;;
  both)
    "$0" worker &
    worker=$!
    "$0" beat &
    beat=$!
    HOST=127.0.0.1 PORT=$((PORT + 1)) PROXY_COUNT=1 "$0" web &  # reached through the proxy only
    web=$!
    "$0" proxy &
    proxy=$!
    stop() { trap - INT TERM EXIT; kill $web $worker $beat $proxy 2>/dev/null; wait 2>/dev/null; }
    trap 'stop; exit 0' INT TERM  # Ctrl-C is how a reader stops it: not an error
    trap stop EXIT
    sleep 1
    printf '\n\033[1mconflictmap is running: http://%s:%s/\033[0m  (admin /admin/, API /api/schema/; Ctrl-C stops)\n\n' "$HOST" "$PORT"
    wait -n $web $worker $beat $proxy ;;
  *)
    echo "usage: scripts/run.sh [web|proxy|worker|beat]" >&2; exit 2 ;;
esac

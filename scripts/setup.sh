#!/usr/bin/env bash
# One set-up for every way conflictmap runs: `make run`, `make test`, the Dockerfile and compose.
# Idempotent: each step checks before it acts, so a second run takes a few seconds.
#
#   scripts/setup.sh            system packages, services, virtualenv, database
#   scripts/setup.sh --browser  the same plus Chromium (browser tests)
#   scripts/setup.sh --bench    the same plus Chromium and wrk (benchmarks)
#   scripts/setup.sh --deps     system packages and virtualenv only (Docker image build)
#
# 1. apt: GDAL (GeoDjango needs libgdal/libgeos/libproj), the psql client, nginx, the cards' font and
#    FriBiDi, optionally Chromium.
# 2. PostgreSQL: use DATABASE_URL's server; if none is set and nothing listens on 127.0.0.1:5432,
#    start a project-local cluster under .local/. Install PostGIS for a local server's major version.
# 3. Redis: use REDIS_URL's server; if none is set and nothing listens on 6379, start a local one.
# 4. Virtualenv .venv with requirements.txt (re-installed only when the file changes).
# 5. Create the database and the postgis extension.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0 want_bench=0 deps_only=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --bench) want_browser=1 want_bench=1 ;;
    --deps) deps_only=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing ${missing[*]} (apt)"
  if [ $apt_updated = 0 ] && ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update -q; apt_updated=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
url_part() { python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print({"host": p.hostname or "127.0.0.1", "port": p.port or int(sys.argv[3]), "db": p.path.lstrip("/")}[sys.argv[2]])' "$@"; }

# --- 1. system packages ------------------------------------------------------------------
apt_install gdal-bin postgresql-client python3-venv nginx-light  # nginx: the proxy (scripts/run.sh proxy)
apt_install fonts-dejavu-core libfribidi0  # cards (lib/card.py): Latin and Arabic glyphs, right-to-left text
apt_install gettext  # msgfmt, which compiles the Arabic translations (make messages)
[ $want_browser = 1 ] && apt_install chromium
[ $want_bench = 1 ] && apt_install wrk

# --- 4. virtualenv ------------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  say "Creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.requirements.sha
if [ "$(sha256sum requirements.txt | cut -d' ' -f1)" != "$(cat $stamp 2>/dev/null)" ]; then
  say "Installing Python requirements"
  # (Some machines' pip configuration names index folders that do not exist; that noise is dropped.)
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  sha256sum requirements.txt | cut -d' ' -f1 > $stamp
fi
[ $deps_only = 1 ] && exit 0

mkdir -p .local/static   # project-local services and collected static files (git-ignored)
# This checkout's own SECRET_KEY, made once (conflictmap/settings.py reads it when SECRET_KEY is unset).
if [ ! -s .local/secret-key ]; then
  (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > .local/secret-key)
fi
# Used to run PostgreSQL's own tools as the postgres user, which initdb insists on.
runpg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# --- 2. PostgreSQL ------------------------------------------------------------------------
db_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/conflictmap}"
db_host=$(url_part "$db_url" host 5432) db_port=$(url_part "$db_url" port 5432)
if ! listening "$db_host" "$db_port"; then
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "setup.sh: DATABASE_URL points at $db_host:$db_port but nothing answers there." >&2; exit 1
  fi
  if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
    # Debian's package would create and start its own cluster on 5432, with password logins;
    # the project-local cluster below takes that port with trust auth instead.
    $SUDO mkdir -p /etc/postgresql-common
    grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf ||
      echo "create_main_cluster = false" | $SUDO tee -a /etc/postgresql-common/createcluster.conf >/dev/null
    apt_install postgresql
  fi
  major=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pgdata=$PWD/.local/pgdata
  mkdir -p "$pgdata"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pgdata"
    # As root the server runs as `postgres`, which may not be able to reach a checkout in a
    # private home directory; its data then lives beside the system's, named after this checkout.
    if ! runuser -u postgres -- test -w "$pgdata"; then
      pgdata=/var/lib/postgresql/conflictmap-$(printf %s "$PWD" | sha1sum | cut -c1-10)
      mkdir -p "$pgdata" && chown postgres "$pgdata"
    fi
  fi
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    say "Creating a project-local PostgreSQL $major cluster in $pgdata"
    runpg "/usr/lib/postgresql/$major/bin/initdb" -D "$pgdata" -U postgres --auth=trust >/dev/null
  fi
  printf 'PG_CTL=%s\nPGDATA=%s\n' "/usr/lib/postgresql/$major/bin/pg_ctl" "$pgdata" > .local/postgres.env  # for `make stop-services`
  say "Starting the project-local PostgreSQL on 127.0.0.1:$db_port"
  runpg "/usr/lib/postgresql/$major/bin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w \
    -o "-h 127.0.0.1 -p $db_port -k $pgdata" start >/dev/null
fi
admin_url="postgres://$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print((p.username or "postgres") + (":" + p.password if p.password else "") + "@" + p.netloc.split("@")[-1])' "$db_url")/postgres"
server_major=$(( $(psql "$admin_url" -Atc "show server_version_num") / 10000 ))
# A server on this machine (not a container's or a remote one): PostGIS goes beside it.
if [ -x "/usr/lib/postgresql/$server_major/bin/postgres" ] && [[ $db_host =~ ^(127\.0\.0\.1|localhost|::1)$ ]]; then
  apt_install "postgresql-$server_major-postgis-3"
fi

# --- 3. Redis -----------------------------------------------------------------------------
redis_url="${REDIS_URL:-redis://127.0.0.1:6379/0}"
redis_host=$(url_part "$redis_url" host 6379) redis_port=$(url_part "$redis_url" port 6379)
if ! listening "$redis_host" "$redis_port"; then
  if [ -n "${REDIS_URL:-}" ]; then
    echo "setup.sh: REDIS_URL points at $redis_host:$redis_port but nothing answers there." >&2; exit 1
  fi
  apt_install redis-server
  say "Starting a project-local Redis on 127.0.0.1:$redis_port"
  mkdir -p .local/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
    --dir "$PWD/.local/redis" --logfile "$PWD/.local/redis/redis.log"
fi

# --- 5. database --------------------------------------------------------------------------
db_name=$(url_part "$db_url" db 5432)
if [ "$(psql "$admin_url" -Atc "select 1 from pg_database where datname = '$db_name'")" != 1 ]; then
  say "Creating database $db_name"
  psql "$admin_url" -qc "create database \"$db_name\""
fi
psql "${admin_url%/postgres}/$db_name" -qc "create extension if not exists postgis" 2>&1 | grep -v NOTICE || true
say "Set-up done (database $db_host:$db_port/$db_name, Redis $redis_host:$redis_port)"

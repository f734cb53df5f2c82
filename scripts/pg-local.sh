#!/usr/bin/env bash
# A throw-away local PostgreSQL server for tests and benchmarks (Debian's postgresql package).
#   scripts/pg-local.sh start   → starts it (initialising once) and prints the database URL
#   scripts/pg-local.sh stop
#   scripts/pg-local.sh url
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
DIR=${CHANRONG_PG_DIR:-/tmp/chanrong-pg}
PORT=${CHANRONG_PG_PORT:-55432}
DB=${CHANRONG_PG_DB:-chanrong_test}
URL="postgresql://chanrong@127.0.0.1:${PORT}/${DB}"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    [ -n "$PGBIN" ] || { echo "PostgreSQL is not installed (make deps installs it)" >&2; exit 1; }
    if [ ! -f "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
      as_owner "$PGBIN/initdb" -D "$DIR" -A trust -U chanrong --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$PGBIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      as_owner "$PGBIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
    fi
    if ! psql -h 127.0.0.1 -p "$PORT" -U chanrong -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
      psql -h 127.0.0.1 -p "$PORT" -U chanrong -d postgres -qc "CREATE DATABASE $DB" >/dev/null
    fi
    echo "$URL"
    ;;
  stop)
    [ -f "$DIR/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac

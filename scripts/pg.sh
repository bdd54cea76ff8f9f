#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback for the test suite.
#   scripts/pg.sh start   — create (if needed) and start; prints the database URL
#   scripts/pg.sh stop
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${TACNGHIEP_PG_DIR:-/tmp/tacnghiep-pg-$(id -u)}
port=${TACNGHIEP_PG_PORT:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  # initdb and postgres refuse to run as root; use the postgres system user then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
      as_owner "$bin/initdb" -D "$dir" -U tacnghiep --auth=trust --data-checksums -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    # JIT compilation only costs time on short OLTP queries (and can take seconds on a plan whose
    # estimates are off): off, as docs/installation.md recommends for production.
    extra="-c jit=off"
    # The test suite may trade durability for speed, and a runaway query fails its test rather than
    # hanging the run; benchmarks keep the durable defaults.
    [ "${TACNGHIEP_PG_FAST:-0}" = 1 ] && extra="$extra -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c statement_timeout=120s"
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 $extra" start >/dev/null
    fi
    "$bin/psql" -h 127.0.0.1 -p "$port" -U tacnghiep -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='tacnghiep'" | grep -q 1 \
      || "$bin/createdb" -h 127.0.0.1 -p "$port" -U tacnghiep tacnghiep
    echo "postgresql://tacnghiep@127.0.0.1:$port/tacnghiep"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

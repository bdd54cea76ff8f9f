#!/usr/bin/env bash
# Benchmarks on the embedded default (SQLite) and on PostgreSQL on loopback (durable settings).
#   BENCH_ONLY=directory|documents|signing|bus   run one suite (default: all)
#   BENCH_DOCUMENTS=1000000           documents generated for the documents suite
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_ONLY:-}" = signing ]; then
  exec .venv/bin/python -m bench.run_signing "$@"
fi
export TACNGHIEP_PG_DIR=/tmp/tacnghiep-pg-bench-$(id -u) TACNGHIEP_PG_PORT=54339
url=$(scripts/pg.sh start)
trap 'scripts/pg.sh stop' EXIT
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fresh_database() {
  "$bin/psql" -h 127.0.0.1 -p 54339 -U tacnghiep -d postgres -qc "DROP DATABASE IF EXISTS tacnghiep_bench" \
    -c "CREATE DATABASE tacnghiep_bench"
}
only=${BENCH_ONLY:-}
if [ -z "$only" ] || [ "$only" = directory ]; then
  fresh_database
  .venv/bin/python -m bench.run --backend sqlite --backend postgresql \
    --postgres-url "${url%/tacnghiep}/tacnghiep_bench" "$@"
fi
if [ -z "$only" ]; then
  .venv/bin/python -m bench.run_signing
fi
if [ -z "$only" ] || [ "$only" = bus ]; then
  fresh_database
  .venv/bin/python -m bench.run_bus --postgres-url "${url%/tacnghiep}/tacnghiep_bench"
fi
if [ -z "$only" ] || [ "$only" = documents ]; then
  fresh_database
  .venv/bin/python -m bench.run_documents --backend sqlite --backend postgresql \
    --documents "${BENCH_DOCUMENTS:-1000000}" --postgres-url "${url%/tacnghiep}/tacnghiep_bench" "$@"
fi

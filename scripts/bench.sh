#!/usr/bin/env bash
# Benchmarks on the embedded default (SQLite) and on PostgreSQL on loopback (durable settings).
set -euo pipefail
cd "$(dirname "$0")/.."
export TACNGHIEP_PG_DIR=/tmp/tacnghiep-pg-bench-$(id -u) TACNGHIEP_PG_PORT=54339
url=$(scripts/pg.sh start)
trap 'scripts/pg.sh stop' EXIT
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
"$bin/psql" -h 127.0.0.1 -p 54339 -U tacnghiep -d postgres -qc "DROP DATABASE IF EXISTS tacnghiep_bench" \
  -c "CREATE DATABASE tacnghiep_bench"
.venv/bin/python -m bench.run --backend sqlite --backend postgresql \
  --postgres-url "${url%/tacnghiep}/tacnghiep_bench" "$@"

#!/usr/bin/env bash
# The whole suite: lint and types, then pytest on SQLite and again on PostgreSQL on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
export TACNGHIEP_DATA_DIR="$PWD/var/test"
rm -rf "$TACNGHIEP_DATA_DIR"
mkdir -p "$TACNGHIEP_DATA_DIR"

echo "== ruff, mypy, migrations"
$bin/ruff check src tests bench
$bin/ruff format --check src tests bench
$bin/mypy
$bin/tacnghiep makemigrations --check --dry-run >/dev/null

echo "== tests on SQLite"
$bin/pytest "$@"

echo "== tests on PostgreSQL"
export TACNGHIEP_PG_FAST=1
url=$(scripts/pg.sh start)
trap 'scripts/pg.sh stop' EXIT
TACNGHIEP_DATABASE_URL="$url" TACNGHIEP_DATA_DIR="$PWD/var/test-pg" $bin/pytest "$@"

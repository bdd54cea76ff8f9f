"""Database-level guards shared by migrations and maintenance code.

Append-only tables (the audit log, the hub's message log) refuse UPDATE, DELETE
and TRUNCATE in the database itself, so that not even a bug or a stray shell
session can rewrite history; their hash chains show any change made around it.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLE = "core_auditrecord"
APPEND_ONLY_TABLES: list[str] = [AUDIT_TABLE]


def _sqlite(table: str, create: bool) -> list[str]:
    if not create:
        return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
    ]


def _postgresql(table: str, create: bool) -> list[str]:
    if not create:
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_append_only()",
        ]
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()""",
    ]


def _statements(connection: BaseDatabaseWrapper, table: str, create: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return _postgresql(table, create)
    if connection.vendor == "sqlite":
        return _sqlite(table, create)
    raise NotImplementedError(f"append-only guard for {connection.vendor}")


def install_append_only(connection: BaseDatabaseWrapper, table: str) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection, table, create=True):
            cursor.execute(sql)


def remove_append_only(connection: BaseDatabaseWrapper, table: str) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection, table, create=False):
            cursor.execute(sql)


def install_audit_guard(connection: BaseDatabaseWrapper) -> None:
    install_append_only(connection, AUDIT_TABLE)


def remove_audit_guard(connection: BaseDatabaseWrapper) -> None:
    remove_append_only(connection, AUDIT_TABLE)

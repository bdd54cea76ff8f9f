"""Deployment self-check (`tacnghiep check`): each finding says what is wrong and what to do."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks as django_checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tacnghiep.core.audit import verify_chain
from tacnghiep.core.db import AUDIT_TABLE

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass(frozen=True)
class Finding:
    level: str
    topic: str
    message: str


def _database() -> list[Finding]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001
        return [Finding(ERROR, "database", f"Không kết nối được cơ sở dữ liệu: {exc}")]
    found = [Finding(OK, "database", f"Kết nối {connection.vendor} thành công.")]
    plan = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
    if plan:
        found.append(Finding(ERROR, "database", f"Còn {len(plan)} migration chưa áp dụng: chạy `tacnghiep migrate`."))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        level = OK if mode == "wal" else WARNING
        found.append(Finding(level, "database", f"SQLite journal_mode = {mode} (cần wal)."))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT has_table_privilege(current_user, %s, 'UPDATE') "
                "OR has_table_privilege(current_user, %s, 'DELETE')",
                [AUDIT_TABLE, AUDIT_TABLE],
            )
            writable = cursor.fetchone()[0]
        if writable:
            level = WARNING if settings.PRODUCTION else OK
            found.append(
                Finding(
                    level,
                    "audit",
                    "Tài khoản CSDL của ứng dụng còn quyền UPDATE/DELETE trên nhật ký; "
                    "thu hồi theo docs/installation.md (trigger vẫn chặn sửa, xóa).",
                )
            )
    with connection.cursor() as cursor:
        tables = connection.introspection.get_table_list(cursor)
    if AUDIT_TABLE in {t.name for t in tables}:
        found.append(_triggers())
    return found


def _triggers() -> Finding:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name=%s", [AUDIT_TABLE])
            present = cursor.fetchone()[0] >= 2
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [AUDIT_TABLE]
            )
            present = cursor.fetchone()[0] >= 2
    if present:
        return Finding(OK, "audit", "Nhật ký chỉ cho phép ghi thêm (trigger có hiệu lực).")
    return Finding(ERROR, "audit", "Thiếu trigger bảo vệ nhật ký: chạy lại `tacnghiep migrate`.")


def _audit_chain() -> list[Finding]:
    report = verify_chain()
    if report.ok:
        return [Finding(OK, "audit", f"Chuỗi băm nhật ký toàn vẹn ({report.checked} bản ghi).")]
    return [
        Finding(ERROR, "audit", f"Chuỗi băm nhật ký bị phá vỡ tại bản ghi #{report.first_broken_id}: {report.reason}")
    ]


def _writable(path: Path, topic: str, label: str) -> Finding:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".tacnghiep-check"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return Finding(ERROR, topic, f"Không ghi được vào {label} {path}: {exc}")
    return Finding(OK, topic, f"Ghi được vào {label} {path}.")


def _files() -> list[Finding]:
    found = []
    if settings.STORAGE_BACKEND == "local":
        found.append(_writable(Path(settings.MEDIA_ROOT), "files", "thư mục tệp"))
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        found.append(_writable(settings.BROKER_DIR / "queue", "worker", "hàng đợi"))
    if finders.find("vendor/htmx/htmx.min.js") is None:
        found.append(Finding(ERROR, "assets", "Thiếu thư viện giao diện (htmx): chạy `make assets`."))
    else:
        found.append(Finding(OK, "assets", "Có đủ thư viện giao diện."))
    return found


def _security() -> list[Finding]:
    found = []
    if settings.DEBUG:
        found.append(
            Finding(ERROR if settings.PRODUCTION else WARNING, "security", "DEBUG đang bật: tắt (TACNGHIEP_DEBUG=0).")
        )
    if settings.PRODUCTION:
        for message in django_checks.run_checks(include_deployment_checks=True, tags=[django_checks.Tags.security]):
            found.append(Finding(WARNING, "security", f"{message.id}: {message.msg}"))
        if not settings.SECURE_COOKIES:
            found.append(Finding(ERROR, "security", "Cookie phiên phải có cờ Secure (TACNGHIEP_SECURE_COOKIES=1)."))
    if os.environ.get("TACNGHIEP_SECRET_KEY") is None and settings.PRODUCTION:
        found.append(Finding(ERROR, "security", "TACNGHIEP_SECRET_KEY chưa được đặt."))
    if not found:
        found.append(Finding(OK, "security", f"Cấu hình an toàn cho hồ sơ {settings.PROFILE}."))
    return found


def _people() -> list[Finding]:
    from tacnghiep.directory.models import Role, RoleGrant

    if not RoleGrant.objects.filter(role=Role.SYSTEM_ADMIN, valid_to__isnull=True).exists():
        return [Finding(WARNING, "directory", "Chưa có quản trị hệ thống: chạy `tacnghiep createadmin`.")]
    return [Finding(OK, "directory", "Đã có quản trị hệ thống.")]


CHECKS: list[Callable[[], list[Finding]]] = [_database, _audit_chain, _files, _security, _people]


def run() -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        try:
            findings.extend(check())
        except Exception as exc:  # noqa: BLE001 - a crashing check is itself a finding
            findings.append(Finding(ERROR, check.__name__.strip("_"), f"Không kiểm tra được: {exc}"))
    return findings

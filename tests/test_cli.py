"""The `tacnghiep` console command, run as a separate process the way an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_worker import database_url

BIN = Path(sys.executable).parent / "tacnghiep"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture
def cli_env(tmp_path):
    env = {**os.environ, "TACNGHIEP_DATA_DIR": str(tmp_path), "TACNGHIEP_DEMO_PASSWORD": "Demo-mat-khau-2026"}
    env.pop("TACNGHIEP_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def test_help_lists_the_subcommands():
    out = run("--help").stdout
    for word in ["serve", "demo", "check", "createadmin", "audit-verify"]:
        assert word in out


def test_install_demo_check_and_verify_on_a_fresh_data_folder(cli_env):
    assert run("migrate", "-v", "0", env=cli_env).returncode == 0
    demo = run("demo", env=cli_env)
    assert demo.returncode == 0, demo.stderr
    assert "124" not in demo.stderr
    assert "quantri.xuanhuong" in demo.stdout
    assert "Demo-mat-khau-2026" in demo.stdout
    again = run("demo", env=cli_env)
    assert "đã được nạp" in again.stdout
    check = run("check", env=cli_env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "[ LỖI ]" not in check.stdout
    verify = run("audit-verify", env=cli_env)
    assert verify.returncode == 0
    assert "toàn vẹn" in verify.stdout
    admin = run(
        "createadmin",
        "--username",
        "quantri2",
        "--full-name",
        "Trần Quản Trị",
        env={**cli_env, "TACNGHIEP_ADMIN_PASSWORD": "Mot-mat-khau-rat-dai-2026"},
    )
    assert admin.returncode == 0, admin.stderr
    weak = run(
        "createadmin", "--username", "quantri3", "--full-name", "X", env={**cli_env, "TACNGHIEP_ADMIN_PASSWORD": "123"}
    )
    assert weak.returncode != 0


def test_check_reports_a_broken_audit_chain(cli_env):
    run("migrate", "-v", "0", env=cli_env)
    run(
        "createadmin",
        "--username",
        "qt",
        "--full-name",
        "Quản Trị",
        "--root-name",
        "Tỉnh ủy Thử",
        env={**cli_env, "TACNGHIEP_ADMIN_PASSWORD": "Mot-mat-khau-rat-dai-2026"},
    )
    db = Path(cli_env["TACNGHIEP_DATA_DIR"]) / "tacnghiep.sqlite3"
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER core_auditrecord_no_update")
        conn.execute("UPDATE core_auditrecord SET action = 'forged' WHERE id = 1")
    verify = run("audit-verify", env=cli_env)
    assert verify.returncode != 0
    assert "#1" in verify.stderr
    check = run("check", env=cli_env)
    assert check.returncode != 0
    assert "trigger" in check.stdout


def test_database_url_helper_is_usable():
    assert database_url().startswith(("sqlite:///", "postgresql://"))

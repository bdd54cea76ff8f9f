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
    for word in ["serve", "demo", "check", "createadmin", "audit-verify", "pdf", "signing", "edxml", "exchange", "bus"]:
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


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(p) for p in out.split()]


def test_serve_runs_web_worker_and_scheduler_and_ctrl_c_stops_them(cli_env):
    import signal
    import socket
    import time

    import requests

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [str(BIN), "serve", "--bind", f"127.0.0.1:{port}"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/health/", timeout=5).ok:
                    break
            except requests.RequestException:  # not listening yet, or still booting its workers
                time.sleep(0.5)
        else:
            pytest.fail("the web server did not answer within 90 s")
        assert "Đăng nhập" in requests.get(f"http://127.0.0.1:{port}/dang-nhap/", timeout=5).text
        children = _children(process.pid)
        assert len(children) == 3  # gunicorn, celery worker, celery beat
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        time.sleep(1)
        for child in children:
            assert not Path(f"/proc/{child}").exists() or "zombie" in Path(f"/proc/{child}/status").read_text().lower()
    finally:
        if process.poll() is None:
            process.kill()

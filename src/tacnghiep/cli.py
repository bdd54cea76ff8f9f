"""The ``tacnghiep`` command.

``serve`` migrates and runs web, worker and scheduler together (Ctrl-C stops
all three); ``demo``, ``check``, ``createadmin`` and ``audit-verify`` are the
documented subcommands, and each module adds its own (``documents``, ``search``,
``pdf``, ``signing``, ``edxml``, ``exchange``, ``bus``); anything else goes to Django's management commands.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

ALIASES = {"check": "deploycheck", "audit-verify": "audit_verify", "createadmin": "createadmin", "demo": "demo"}


def _django(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tacnghiep", *argv])


def serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="tacnghiep serve")
    parser.add_argument("--bind", default=os.environ.get("TACNGHIEP_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("TACNGHIEP_WEB_WORKERS", "2")))
    parser.add_argument("--no-worker", action="store_true", help="web only (worker and scheduler run elsewhere)")
    args = parser.parse_args(argv)

    _django(["migrate", "--noinput", "-v", "0"])
    import django

    django.setup()
    from tacnghiep.directory.services.catalogs import load_reference_data

    load_reference_data()
    python = sys.executable
    commands = [
        [
            python,
            "-m",
            "gunicorn",
            "tacnghiep.wsgi:application",
            "--bind",
            args.bind,
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
            "--no-control-socket",
        ],
    ]
    if not args.no_worker:
        commands += [
            [python, "-m", "celery", "-A", "tacnghiep", "worker", "--loglevel", "INFO", "--concurrency", "2"],
            [python, "-m", "celery", "-A", "tacnghiep", "beat", "--loglevel", "INFO"],
        ]
    processes = [subprocess.Popen(cmd) for cmd in commands]
    print(f"tacnghiep đang chạy tại http://{args.bind}/ — nhấn Ctrl-C để dừng.", flush=True)

    def stop(*_args: object) -> None:
        for proc in processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(proc.poll() is None for proc in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        deadline = time.monotonic() + 20
        for proc in processes:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
    failed = [proc.returncode for proc in processes if proc.returncode not in (0, None, -signal.SIGTERM)]
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        print(
            "Lệnh: serve, demo, check, createadmin, audit-verify, documents, search, pdf, signing, edxml,"
            " exchange, bus (trục liên thông: bus serve), hoặc một lệnh quản trị của Django."
        )
        return 0
    if args[0] == "serve":
        return serve(args[1:])
    command = ALIASES.get(args[0], args[0])
    _django([command, *args[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())

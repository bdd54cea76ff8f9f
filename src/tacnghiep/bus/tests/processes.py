"""Real hub processes for tests and benchmarks: ``tacnghiep bus serve`` on loopback with its own data folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

TACNGHIEP = str(Path(sys.executable).parent / "tacnghiep")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(data_dir: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TACNGHIEP_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update({"TACNGHIEP_DATA_DIR": str(data_dir), "TACNGHIEP_BUS_SECRET": "hub-key-for-tests", **extra})
    if database_url:
        env["TACNGHIEP_DATABASE_URL"] = database_url
    return env


def database(name: str) -> str:
    """A fresh PostgreSQL database ``name`` next to the test database when the suite runs on PostgreSQL, else ""
    (the process then uses SQLite in its own data folder)."""
    url = os.environ.get("TACNGHIEP_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return ""
    import psycopg

    base, _slash, _db = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process ended with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 — loopback only
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@dataclass
class Hub:
    data_dir: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    secrets: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [TACNGHIEP, "bus", *args], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"tacnghiep bus {' '.join(args)}: {done.stderr or done.stdout}")
        return done.stdout

    def add_agency(self, code: str, name: str = "") -> str:
        line = (
            self.run("agency-add", "--name", name or f"Cơ quan {code}", "--code-qcvn102", code).strip().splitlines()[-1]
        )
        self.secrets[code] = line.split("\t")[1]
        return self.secrets[code]

    def start(self, workers: int = 1, threads: int = 4) -> None:
        log = (self.data_dir / "hub.log").open("ab")
        self.process = subprocess.Popen(
            [
                TACNGHIEP,
                "bus",
                "serve",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(f"{self.url}/health/", self.process)

    def kill(self) -> None:
        """kill -9 of the whole process group (gunicorn's master and its workers)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def hub(base: Path, database_url: str = "") -> Hub:
    data_dir = base / "hub"
    data_dir.mkdir(parents=True, exist_ok=True)
    created = Hub(data_dir=data_dir, env=environment(data_dir, database_url))
    done = subprocess.run(
        [TACNGHIEP, "migrate", "--noinput", "-v", "0"], env=created.env, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"migrate: {done.stderr}")
    return created

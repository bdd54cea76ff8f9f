"""Whole tacnghiep instances as separate processes, for the exchange's multi-process tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tacnghiep.bus.tests import processes

WORKER = ["worker", "--pool", "solo", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"]
BEAT = ["beat", "--loglevel", "WARNING"]


@dataclass
class Instance:
    name: str
    data_dir: Path
    env: dict[str, str]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def act(self, *args: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "tacnghiep.exchange.tests.province", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.name} {args[0]}: {done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _spawn(self, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.data_dir / "worker.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tacnghiep", *command],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> None:
        """The worker and the scheduler, as ``tacnghiep serve`` runs them."""
        self.workers = [self._spawn(WORKER), self._spawn(BEAT)]

    def kill_worker(self) -> None:
        """kill -9 of the worker (and its children), then a new one, as a supervisor would."""
        os.killpg(self.workers[0].pid, signal.SIGKILL)
        self.workers[0].wait(timeout=30)
        self.workers[0] = self._spawn(WORKER)

    def stop(self) -> None:
        for worker in self.workers:
            worker.terminate()
        for worker in self.workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()

    def wait(
        self, what: str, check: Callable[[dict[str, Any]], bool], seconds: float = 120, action: str = "state"
    ) -> dict[str, Any]:
        """Read ``action`` every second until ``check`` holds; the workers must stay alive meanwhile."""
        deadline = time.monotonic() + seconds
        state: dict[str, Any] = {}
        while time.monotonic() < deadline:
            state = self.act(action)
            if check(state):
                return state
            for worker in self.workers:
                assert worker.poll() is None, (self.data_dir / "worker.log").read_text()[-3000:]
            time.sleep(1)
        raise AssertionError(f"{self.name}: {what} did not happen within {seconds} s: {state}")


def instance(
    name: str, base: Path, hub_url: str, own: tuple[str, str], peer: tuple[str, str], secret: str, **extra: str
) -> Instance:
    """A fresh instance (own data folder, SQLite database) of ``own`` (code, name), knowing ``peer`` as outside."""
    data_dir = base / name
    data_dir.mkdir()
    env = processes.environment(
        data_dir,
        TACNGHIEP_EXCHANGE_HUB_URL=hub_url,
        TACNGHIEP_EXCHANGE_SYSTEM_ID=own[0],
        TACNGHIEP_EXCHANGE_SECRET=secret,
        TACNGHIEP_EXCHANGE_POLL_SECONDS="1",
        **extra,
    )
    subprocess.run([processes.TACNGHIEP, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
    instance = Instance(name=name, data_dir=data_dir, env=env)
    instance.act("setup", own[0], own[1], peer[0], peer[1])
    return instance

"""Reading untrusted PDFs in child processes whose time and memory are bounded.

A hostile PDF (a circular or enormous object stream, a broken cross-reference
table that sends a parser walking) must not hang a web thread or exhaust the
server's memory. Every PDF that enters the system is therefore counted and its
signatures checked in a small pool of long-lived child processes
(``python -m tacnghiep.signing.sandbox``): each sets an address-space limit on
itself, and the parent kills a child that has not answered in time and starts
another. Children live on between files, so the cost per file stays close to
the parser's own.

The protocol on the child's stdin/stdout is length-prefixed: a JSON header, the
file's bytes; the answer is one JSON object. Children import no Django.
"""

from __future__ import annotations

import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
from typing import IO, Any

_HEADER = struct.Struct(">IQ")
_ANSWER = struct.Struct(">I")


class SandboxFailure(Exception):
    """The child ran out of time or memory, or died: the file is refused as too complex."""


# --- the child ----------------------------------------------------------------------------


def _read_exact(stream: IO[bytes], n: int) -> bytes:
    chunks = []
    while n:
        chunk = stream.read(n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _handle(header: dict[str, Any], data: bytes) -> dict[str, Any]:
    import io

    from tacnghiep.core.pdfpages import PdfProblem, count_pages
    from tacnghiep.signing import verification

    answer: dict[str, Any] = {"ok": True}
    try:
        if header.get("pages", True):
            answer["pages"] = count_pages(io.BytesIO(data), int(header.get("max_pages", 2000)))
            verification.check_structure(data)
        answer["signatures"] = verification.verify(data, verification.Policy.from_json(header.get("policy", {})))
    except PdfProblem as problem:
        return {"ok": False, "code": problem.code, "pages": problem.pages}
    except verification.Unreadable:
        return {"ok": False, "code": "pdf_broken"}
    except (MemoryError, RecursionError):
        return {"ok": False, "code": "pdf_too_complex"}
    return answer


def child_main(memory_mb: int) -> None:
    import logging
    import resource

    logging.disable(logging.CRITICAL)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.setrecursionlimit(3000)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            header_size, data_size = _HEADER.unpack(_read_exact(stdin, _HEADER.size))
            header = json.loads(_read_exact(stdin, header_size))
            data = _read_exact(stdin, data_size)
        except EOFError:
            return
        try:
            answer = _handle(header, data)
        except Exception as exc:  # noqa: BLE001 - a parser bug must answer, not kill the pool
            answer = {"ok": False, "code": "pdf_broken", "detail": type(exc).__name__}
        payload = json.dumps(answer).encode()
        stdout.write(_ANSWER.pack(len(payload)) + payload)
        stdout.flush()


# --- the parent ---------------------------------------------------------------------------


class _Child:
    def __init__(self, memory_mb: int) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "tacnghiep.signing.sandbox", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        self.jobs = 0

    def ask(self, header: dict[str, Any], data: bytes, timeout: float) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        raw_header = json.dumps(header).encode()
        deadline = time.monotonic() + timeout
        try:
            self.process.stdin.write(_HEADER.pack(len(raw_header), len(data)) + raw_header)
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise SandboxFailure("child gone") from exc
        size = _ANSWER.unpack(self._read(_ANSWER.size, deadline))[0]
        self.jobs += 1
        return dict(json.loads(self._read(size, deadline)))

    def _read(self, n: int, deadline: float) -> bytes:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        chunks: list[bytes] = []
        while n:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise SandboxFailure("timeout")
            chunk = os.read(fd, n)
            if not chunk:
                raise SandboxFailure("child died")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Pool:
    """At most ``size`` children, shared by the threads of one process."""

    def __init__(self, size: int, memory_mb: int, max_jobs: int = 1000) -> None:
        self.size = size
        self.memory_mb = memory_mb
        self.max_jobs = max_jobs
        self._idle: list[_Child] = []
        self._started = 0
        self._lock = threading.Condition()
        self._pid = os.getpid()

    def _take(self) -> _Child:
        with self._lock:
            if self._pid != os.getpid():  # forked: the children belong to the parent
                self._idle, self._started, self._pid = [], 0, os.getpid()
            while not self._idle and self._started >= self.size:
                self._lock.wait()
            if self._idle:
                return self._idle.pop()
            self._started += 1
        try:
            return _Child(self.memory_mb)
        except OSError:
            with self._lock:
                self._started -= 1
                self._lock.notify()
            raise

    def _give_back(self, child: _Child | None) -> None:
        with self._lock:
            if child is None:
                self._started -= 1
            else:
                self._idle.append(child)
            self._lock.notify()

    def ask(self, header: dict[str, Any], data: bytes, timeout: float) -> dict[str, Any]:
        child = self._take()
        try:
            answer = child.ask(header, data, timeout)
        except SandboxFailure:
            child.kill()
            self._give_back(None)
            raise
        if child.jobs >= self.max_jobs:
            child.kill()
            self._give_back(None)
        else:
            self._give_back(child)
        return answer

    def close(self) -> None:
        with self._lock:
            for child in self._idle:
                child.kill()
            self._started -= len(self._idle)
            self._idle = []


if __name__ == "__main__":
    child_main(int(sys.argv[1]) if len(sys.argv) > 1 else 1024)

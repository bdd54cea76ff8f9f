"""Package files on the hub's disk: written to a temporary file, synced, then renamed under their SHA-256.

A package is acknowledged to its sender only after its file and the directory
entry are on disk (fsync), and after the database transaction that records it
has committed; a crash before that leaves at most an orphan temporary file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO

from django.conf import settings


def root() -> Path:
    return Path(settings.BUS_DIR)


def spool_dir() -> Path:
    path = root() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def spool() -> IO[bytes]:
    """A temporary file on the same file system as the store, so that keeping it is a rename."""
    return tempfile.NamedTemporaryFile(dir=spool_dir(), delete=False, suffix=".part")


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep(temporary: Path, name: str) -> Path:
    """Make ``temporary`` durable as ``name`` (content-addressed: an existing file is already the same bytes)."""
    target = root() / "packages" / name
    if target.exists():
        temporary.unlink(missing_ok=True)
        return target
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    created = not target.parent.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, target)
    _sync_dir(target.parent)
    if created:
        _sync_dir(target.parent.parent)
    return target


def path_of(name: str) -> Path:
    return root() / "packages" / name

"""Modules tell the search facade how to turn their objects into index entries.

A source maps a batch of ids to entries (``dict`` of field → value or list of
values, see engine.build_schema); ids it no longer finds are removed from the
index. Sources register in their app's ``ready()``, so the search module
depends on no other module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Entry = dict[str, Any]
Source = Callable[[list[int]], dict[int, Entry]]

_sources: dict[str, Source] = {}


def register(kind: str, source: Source) -> None:
    _sources[kind] = source


def source(kind: str) -> Source:
    return _sources[kind]


def kinds() -> Iterable[str]:
    return tuple(_sources)

"""Materialized-path helpers for the organization tree.

A path is the chain of ancestor ids, each zero-padded to 8 digits and followed
by a dot: ``00000001.00000023.``. A subtree is the index range
``[path, path + "~")`` — a range rather than LIKE, so that SQLite uses the
index too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

SEGMENT = 8
SENTINEL = "~"  # sorts after digits and dots


def segment(pk: int) -> str:
    return f"{pk:0{SEGMENT}d}."


def ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.split(".") if part]


def minimal_roots(paths: Iterable[str]) -> list[str]:
    """Drop every path that lies inside another one."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def subtree_q(paths: Iterable[str], field: str = "path") -> Q:
    """Q matching rows whose ``field`` lies in any of the subtrees; matches nothing for no paths."""
    query = Q(pk__in=[])
    for root in minimal_roots(paths):
        query |= Q(**{f"{field}__gte": root, f"{field}__lt": root + SENTINEL})
    return query


def within(path: str, roots: Iterable[str]) -> bool:
    return any(path.startswith(root) for root in roots)

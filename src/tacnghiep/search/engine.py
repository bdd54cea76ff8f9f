"""The tantivy index behind the search facade.

One index for every kind of object. Text is folded by us before it reaches
tantivy (NFC, case, tones and marks, đ→d — core.text.fold), on both sides, so
the engine's own tokenizer only splits words. Permission data is indexed with
each entry (organization paths, people and units that read it, secrecy) so a
query is filtered inside the engine; the caller re-checks the page it shows.

Only the indexer writes (tantivy allows one writer); web processes open the
index read-only and reload it before each query to see the latest commit.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

WRITER_HEAP = 64 * 1024 * 1024
_lock = threading.Lock()


def index_path() -> Path:
    path = Path(getattr(settings, "SEARCH_INDEX_DIR", settings.DATA_DIR / "search"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("key", stored=True, tokenizer_name="raw")  # "incoming:12": the unit of replacement
    b.add_text_field("kind", tokenizer_name="raw", fast=True)
    b.add_integer_field("pk", stored=True, indexed=True, fast=True)
    b.add_text_field("body", tokenizer_name="default", index_option="position")
    b.add_text_field("notation", tokenizer_name="raw")  # folded số/ký hiệu, exact match
    # Who may read it (see module docstring): organization paths by role, people and units in person.
    b.add_text_field("paths", tokenizer_name="raw")
    b.add_text_field("rpaths", tokenizer_name="raw")
    b.add_text_field("people", tokenizer_name="raw")
    b.add_text_field("units", tokenizer_name="raw")
    b.add_text_field("org", tokenizer_name="raw")
    b.add_boolean_field("secret", indexed=True)
    # Filters.
    b.add_text_field("register", tokenizer_name="raw")
    b.add_text_field("period", tokenizer_name="raw")
    b.add_text_field("type", tokenizer_name="raw")
    b.add_text_field("issuer", tokenizer_name="raw")
    b.add_text_field("status", tokenizer_name="raw")
    b.add_text_field("urgency", tokenizer_name="raw")
    b.add_text_field("assignees", tokenizer_name="raw")
    b.add_integer_field("date", indexed=True, fast=True)  # yyyymmdd, newest first on ties
    return b.build()


@cache
def schema() -> tantivy.Schema:
    return build_schema()


_indexes: dict[str, tantivy.Index] = {}


def index() -> tantivy.Index:
    """The process's handle on the index (created on first use)."""
    path = str(index_path())
    with _lock:
        handle = _indexes.get(path)
        if handle is None:
            handle = tantivy.Index(schema(), path=path, reuse=True)
            _indexes[path] = handle
        return handle


def forget() -> None:
    """Drop cached handles (tests point the index somewhere else)."""
    with _lock:
        _indexes.clear()


def searcher() -> tantivy.Searcher:
    handle = index()
    handle.reload()
    return handle.searcher()


def writer() -> tantivy.IndexWriter:
    """The single writer; raises ValueError when another process holds it."""
    return index().writer(heap_size=WRITER_HEAP, num_threads=1)


def document(fields: dict[str, Any]) -> tantivy.Document:
    doc = tantivy.Document()
    for name, value in fields.items():
        values = value if isinstance(value, list | tuple | set) else [value]
        for item in values:
            if item is None or item == "":
                continue
            if isinstance(item, bool):
                doc.add_boolean(name, item)
            elif isinstance(item, int):
                doc.add_integer(name, item)
            else:
                doc.add_text(name, str(item))
    return doc

"""Keeping the index current: enqueue in the changing transaction, index in batches in the worker."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tacnghiep.search import engine, registry
from tacnghiep.search.models import PendingIndex

log = logging.getLogger(__name__)
BATCH = 500


def enqueue(kind: str, object_id: int) -> None:
    """Mark an object for (re)indexing; the worker is woken once the transaction commits."""
    PendingIndex.objects.update_or_create(kind=kind, object_id=object_id, defaults={})
    transaction.on_commit(_wake, robust=True)


def enqueue_many(kind: str, object_ids: list[int]) -> None:
    PendingIndex.objects.bulk_create(
        [PendingIndex(kind=kind, object_id=pk) for pk in object_ids], ignore_conflicts=True, batch_size=2000
    )
    transaction.on_commit(_wake, robust=True)


def _wake() -> None:
    if not settings.SEARCH_WAKE_WORKER:
        return
    from tacnghiep.search.tasks import index_pending

    index_pending.delay()


def index_pending(*, batch: int = BATCH, max_seconds: float = 50.0) -> int:
    """Index everything waiting, ``batch`` objects per commit; returns how many entries changed.

    Another indexer holding tantivy's writer lock means the work is in hand:
    this call returns 0 and leaves the queue to it.
    """
    try:
        writer = engine.writer()
    except ValueError:
        return 0
    done = 0
    started = time.monotonic()
    try:
        while time.monotonic() - started < max_seconds:
            read_at = timezone.now()
            rows = list(PendingIndex.objects.order_by("enqueued_at", "id")[:batch])
            if not rows:
                break
            for kind in {r.kind for r in rows}:
                ids = [r.object_id for r in rows if r.kind == kind]
                entries = registry.source(kind)(ids) if kind in registry.kinds() else {}
                for pk in ids:
                    key = f"{kind}:{pk}"
                    writer.delete_documents_by_term("key", key)
                    entry = entries.get(pk)
                    if entry is not None:
                        writer.add_document(engine.document({**entry, "key": key, "kind": kind, "pk": pk}))
            writer.commit()
            done += len(rows)
            # Only rows not touched again since they were read: a newer change keeps its row.
            PendingIndex.objects.filter(pk__in=[r.pk for r in rows], enqueued_at__lte=read_at).delete()
    finally:
        writer.wait_merging_threads()
    if done:
        log.info("indexed %s objects", done)
    return done


def rebuild(kind: str, object_ids: list[int]) -> int:
    """Queue every object of a kind again and index them (``tacnghiep search --rebuild``)."""
    with transaction.atomic():
        enqueue_many(kind, object_ids)
    total = 0
    while PendingIndex.objects.exists():
        indexed = index_pending(batch=2000, max_seconds=3600)
        if indexed == 0:
            break
        total += indexed
    return total


def pending_since() -> float | None:
    """Age in seconds of the oldest waiting change (for health checks)."""
    oldest = PendingIndex.objects.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return (timezone.now() - oldest).total_seconds() if oldest else None

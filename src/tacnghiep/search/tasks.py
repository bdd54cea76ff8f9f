"""The indexer: the worker drains the queue in batches."""

from __future__ import annotations

from celery import shared_task

from tacnghiep.search.services import index_pending as drain


@shared_task(name="tacnghiep.search.tasks.index_pending", ignore_result=True)
def index_pending() -> int:
    return drain()

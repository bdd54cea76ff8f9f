from __future__ import annotations

from celery import shared_task

from tacnghiep.signing.services import registry


@shared_task
def warn_expiring_certificates() -> int:
    return registry.warn_expiring()

"""Housekeeping jobs run by the worker on the scheduler's timetable."""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from tacnghiep.core import audit, context
from tacnghiep.core.models import AuditOutcome

log = logging.getLogger(__name__)


@shared_task(name="tacnghiep.core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    from tacnghiep.directory.models import SignInSession

    with transaction.atomic():
        deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
        SignInSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
    return deleted


@shared_task(name="tacnghiep.core.tasks.verify_audit_chain")
def verify_audit_chain() -> dict[str, object]:
    """Check the whole chain and record the result, so a broken chain is itself on the record."""
    token = context.begin(context.RequestContext(channel="task"))
    try:
        report = audit.verify_chain()
        if not report.ok:
            log.error("audit chain broken at record %s: %s", report.first_broken_id, report.reason)
        with transaction.atomic():
            audit.record(
                "audit.verify",
                outcome=AuditOutcome.SUCCESS if report.ok else AuditOutcome.FAILURE,
                details={"checked": report.checked, "first_broken_id": report.first_broken_id, "reason": report.reason},
            )
        return {"ok": report.ok, "checked": report.checked, "first_broken_id": report.first_broken_id}
    finally:
        context.end(token)

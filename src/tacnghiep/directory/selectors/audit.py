from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.selectors import organizations as org_selectors


def readable(actor: Actor) -> QuerySet[AuditRecord]:
    """A system administrator reads the whole log; a unit administrator the records of their units."""
    if actor.is_system_admin:
        return AuditRecord.objects.all()
    if actor.admin_roots:
        return AuditRecord.objects.filter(organization_id__in=org_selectors.administrable(actor).values("id"))
    return AuditRecord.objects.none()


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    outcome: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def search(actor: Actor, filters: AuditFilter, *, before_id: int | None = None, limit: int = 50) -> list[AuditRecord]:
    qs = readable(actor)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.actor:
        qs = qs.filter(actor__username=filters.actor)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.since:
        qs = qs.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(occurred_at__date__lte=filters.until)
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.order_by("-id")[:limit])

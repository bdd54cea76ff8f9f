"""Reads of core data that depend on who is asking: only ever the person's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from tacnghiep.core.models import Notification

if TYPE_CHECKING:
    from tacnghiep.directory.models import Person


def notifications(person: Person) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person)


def unread_count(person: Person) -> int:
    return notifications(person).filter(read_at__isnull=True).count()

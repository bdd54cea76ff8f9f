"""Deadline reminders for assignments (nhắc hạn, cảnh báo quá hạn)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.notifications import notify
from tacnghiep.directory.actors import current_q
from tacnghiep.directory.models import Person, Role, RoleGrant
from tacnghiep.documents.models import Assignment, AssignmentStatus


def _recipients(assignment: Assignment, on: datetime.date) -> list[Person]:
    if assignment.person is not None:
        return [assignment.person] if assignment.person.is_active else []
    grants = RoleGrant.objects.filter(current_q(on), organization=assignment.organization, role=Role.LEADER)
    return [g.person for g in grants.select_related("person") if g.person.is_active]


def send_deadline_reminders(today: datetime.date) -> int:
    """Remind once when a deadline is near, and every day once it has passed. Returns how many were sent."""
    horizon = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    due = (
        Assignment.objects.filter(status=AssignmentStatus.PENDING, due_on__isnull=False, due_on__lte=horizon)
        .filter(Q(person__isnull=False) | Q(organization__isnull=False))
        .select_related("document", "document__urgency", "person", "organization")
    )
    sent = 0
    with transaction.atomic():
        for assignment in due.iterator(chunk_size=500):
            overdue = assignment.due_on < today  # type: ignore[operator]
            document = assignment.document
            text = (_("Overdue since %(date)s: %(subject)s") if overdue else _("Due on %(date)s: %(subject)s")) % {
                "date": f"{assignment.due_on:%d/%m/%Y}",
                "subject": document.subject[:300],
            }
            # Near the deadline: once per deadline. Overdue: once per day.
            when = f"overdue:{today.isoformat()}" if overdue else f"due:{assignment.due_on}"
            key = f"assignment:{assignment.pk}:{when}"
            for person in _recipients(assignment, today):
                urgent = overdue or bool(document.urgency.attributes.get("rank"))
                link = reverse("documents:incoming_detail", args=[document.pk])
                if notify(person, key=key, text=text, link=link, urgent=urgent) is not None:
                    sent += 1
        audit.record("reminders.send", details={"sent": sent, "day": today.isoformat()})
    return sent

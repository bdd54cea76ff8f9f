"""Statuses 04, 05 and 06 follow the handling of a document received over the exchange.

Every step of an incoming document's handling is a ``DocumentEvent`` (the
documents module's domain event); when one is saved for a document that came
over the exchange, the matching status goes to the outbox in the same
transaction. Each status is reported once, in order: if handling jumps ahead
(completed without an earlier step), the statuses in between are sent first.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tacnghiep.documents.models import Assignment, AssignmentRole, AssignmentStatus, DocumentEvent, EventKind
from tacnghiep.exchange.models import InboundPackage, InboxState
from tacnghiep.exchange.services import outbox

WORKING = {
    EventKind.REASSIGNED,
    EventKind.OPINION,
    EventKind.EXTENSION_REQUESTED,
    EventKind.EXTENSION_GRANTED,
    EventKind.EXTENSION_REFUSED,
    EventKind.RETURNED,
    EventKind.FORWARDED,
}
DESCRIPTIONS = {
    "04": gettext_noop("Assigned for handling."),
    "05": gettext_noop("Being handled."),
    "06": gettext_noop("Handling completed."),
}


def _target(event: DocumentEvent) -> str:
    if event.kind == EventKind.DIRECTED:
        return "04"
    if event.kind in WORKING:
        return "05"
    if event.kind == EventKind.COMPLETED:
        open_lead = Assignment.objects.filter(
            document_id=event.document_id, role=AssignmentRole.LEAD, status=AssignmentStatus.PENDING
        ).exists()
        return "05" if open_lead else "06"
    return ""


def on_document_event(sender: type, instance: DocumentEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.document_id is None or instance.actor_id is None:
        return
    target = _target(instance)
    if not target:
        return
    inbound = (
        InboundPackage.objects.select_for_update()
        .filter(incoming_id=instance.document_id, message_type="edoc", state=InboxState.REGISTERED)
        .first()
    )
    if inbound is None or inbound.reported >= target:
        return
    staff = {"Staff": instance.actor.full_name} if instance.actor else {}
    for code in ("04", "05", "06"):
        if inbound.reported < code <= target:
            outbox.enqueue_status(inbound, code, _(DESCRIPTIONS[code]), staff)
            inbound.reported = code
    inbound.save(update_fields=["reported"])

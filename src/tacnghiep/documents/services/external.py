"""Documents that cross the system's border: sent to organizations outside it, withdrawn by outside issuers.

The documents module does not speak edXML. The exchange module registers a
*sender* here (``register_sender``), which issuing calls inside its transaction
for every recipient outside the system, so that the outbox row commits with the
issue. The exchange module reports back through :func:`record_remote_status`
and :func:`withdraw_incoming`; both are state changes of documents, so they
live here, with their history, notifications and audit records.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.notifications import notify
from tacnghiep.directory.models import Role
from tacnghiep.directory.selectors import roles as role_selectors
from tacnghiep.documents.models import (
    Assignment,
    AssignmentStatus,
    DeliveryState,
    DocumentEvent,
    DocumentFile,
    EventKind,
    IncomingDocument,
    OutgoingDocument,
    Recipient,
)

# (document, its recipients outside the system, business: "new", "revoke", "update" or "replace")
Sender = Callable[[OutgoingDocument, list[Recipient], str], object]
_senders: list[Sender] = []

# How far a delivery has come; a status never moves it back (packages may arrive out of order).
PROGRESS = {
    DeliveryState.QUEUED: 0,
    DeliveryState.SENT: 1,
    DeliveryState.FAILED: 1,
    DeliveryState.ARRIVED: 2,
    DeliveryState.REGISTERED: 3,
    DeliveryState.REFUSED: 3,
    DeliveryState.ASSIGNED: 4,
    DeliveryState.PROCESSING: 5,
    DeliveryState.DONE: 6,
    DeliveryState.WITHDRAWN: 7,
}


def register_sender(sender: Sender) -> None:
    if sender not in _senders:
        _senders.append(sender)


def is_external(recipient: Recipient) -> bool:
    return recipient.organization is not None and recipient.organization.is_external


def send(document: OutgoingDocument, recipients: list[Recipient], business: str) -> None:
    """Hand recipients outside the system to the exchange, inside the caller's transaction."""
    if not recipients:
        return
    if not _senders:
        raise ValidationError(_("Documents cannot be sent outside the system: the exchange is not installed."))
    # A revocation withdraws the document at once; the package tells the recipients' systems.
    state = DeliveryState.WITHDRAWN if business == "revoke" else DeliveryState.QUEUED
    for recipient in recipients:
        recipient.state = state
        recipient.state_changed_at = timezone.now()
        recipient.save(update_fields=["state", "state_changed_at"])
    for sender in _senders:
        sender(document, recipients, business)


def record_remote_status(recipient: Recipient, state: str, text: str = "") -> bool:
    """A recipient's system reported progress; returns False when it changes nothing (old or repeated news)."""
    with transaction.atomic():
        # of=("self",): PostgreSQL cannot lock the nullable side of the organization's outer join.
        target = (
            Recipient.objects.select_for_update(of=("self",))
            .select_related("document", "organization")
            .get(pk=recipient.pk)
        )
        current = PROGRESS.get(DeliveryState(target.state), 0) if target.state else 0
        if state != DeliveryState.FAILED and PROGRESS[DeliveryState(state)] <= current and target.state != "":
            return False
        if state == DeliveryState.FAILED and current > PROGRESS[DeliveryState.FAILED]:
            return False
        target.state = state
        target.state_changed_at = timezone.now()
        if text:
            target.note = text[:1000]
        target.save(update_fields=["state", "state_changed_at", "note"])
        document = target.document
        label = str(DeliveryState(state).label)
        DocumentEvent.objects.create(
            outgoing=document,
            kind=EventKind.REMOTE_STATUS,
            text=f"{target.organization}: {label}. {text}".strip()[:2000],
        )
        if state in (DeliveryState.REFUSED, DeliveryState.FAILED):
            from tacnghiep.documents.services import drafting

            for person in {document.drafted_by, *role_selectors.holders(Role.CLERK, document.organization)}:
                notify(
                    person,
                    key=f"remote:{target.pk}:{state}",
                    text=f"{document.code_notation} – {target.organization}: {label}. {text}"[:480],
                    link=drafting.link(document),
                )
        audit.record(
            "delivery.remote_status",
            organization=document.organization,
            obj=document,
            details={"recipient": target.organization_id, "state": state, "text": text[:300]},
        )
        return True


def note_remote(recipient: Recipient, text: str) -> None:
    """News from a recipient's system that changes no state (a refused recall, 16)."""
    with transaction.atomic():
        DocumentEvent.objects.create(outgoing=recipient.document, kind=EventKind.REMOTE_STATUS, text=text[:2000])
        audit.record(
            "delivery.remote_note",
            organization=recipient.document.organization,
            obj=recipient.document,
            details={"recipient": recipient.organization_id, "text": text[:300]},
        )


def withdraw_incoming(document: IncomingDocument, reason: str) -> IncomingDocument:
    """The issuer revoked it (NĐ 30): its files and open work are removed here; its register entry stays."""
    with transaction.atomic():
        target = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        if target.withdrawn_at is not None:
            return target
        target.withdrawn_at = timezone.now()
        target.save(update_fields=["withdrawn_at"])
        files = list(DocumentFile.objects.filter(incoming=target).values_list("name", "file__sha256"))
        DocumentFile.objects.filter(incoming=target).delete()
        Assignment.objects.filter(document=target, status=AssignmentStatus.PENDING).update(
            status=AssignmentStatus.RETURNED, result=_("The document was revoked by its issuer.")
        )
        DocumentEvent.objects.create(document=target, kind=EventKind.WITHDRAWN, text=reason[:2000])
        people = set(role_selectors.holders(Role.CLERK, target.organization))
        people.update(a.person for a in Assignment.objects.filter(document=target, person__isnull=False) if a.person)
        from django.urls import reverse

        for person in people:
            notify(
                person,
                key=f"withdrawn:{target.pk}",
                text=_("%(notation)s was revoked by its issuer: %(reason)s")
                % {"notation": target.code_notation or target.subject[:60], "reason": reason[:200]},
                link=reverse("documents:incoming_detail", args=[target.pk]),
            )
        audit.record(
            "incoming.withdraw",
            organization=target.organization,
            obj=target,
            details={"reason": reason[:300], "files": [list(f) for f in files]},
        )
        return target

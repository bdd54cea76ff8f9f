"""The clerk's side of a document received over the exchange: register it, refuse it, answer a recall."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.access import deny
from tacnghiep.core.text import normalize
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry, Role
from tacnghiep.documents.models import FileRole, IncomingDocument, Register
from tacnghiep.documents.services import external, incoming
from tacnghiep.exchange.models import InboundPackage, InboxState
from tacnghiep.exchange.services import outbox


def _staff(actor: Actor) -> dict[str, str]:
    person = actor.person
    return {"Staff": person.full_name, "Email": person.email or "", "Mobile": getattr(person, "phone", "") or ""}


def _date(value: str) -> datetime.date | None:
    for pattern in ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value.strip()[:10], pattern).date()
        except ValueError:
            continue
    return None


def _locked(actor: Actor, inbound: InboundPackage, action: str) -> InboundPackage:
    # of=("self",): PostgreSQL cannot lock the nullable side of the organization's outer join.
    target = InboundPackage.objects.select_for_update(of=("self",)).select_related("organization").get(pk=inbound.pk)
    if target.organization is None or not actor.has_role(Role.CLERK, target.organization):
        raise deny(action, by=actor, obj=target)
    return target


@dataclass
class Registration:
    register: Register
    document_type: CatalogEntry
    urgency: CatalogEntry
    secrecy: CatalogEntry
    due_on: datetime.date | None = None
    confirm_duplicate: bool = False


def register(*, actor: Actor, inbound: InboundPackage, data: Registration) -> IncomingDocument:
    """Number it in the register as an incoming document with its files; the sender is told 03."""
    if inbound.organization is None or not actor.has_role(Role.CLERK, inbound.organization):
        raise deny("exchange.register", by=actor, obj=inbound)
    fields = inbound.fields
    incoming_data = incoming.IncomingData(
        register=data.register,
        arrived_at=inbound.received_at,
        received_via="electronic",
        issuer_name=(inbound.sender_name or inbound.sender_code)[:200],
        document_type=data.document_type,
        subject=fields.get("Subject", "")[:500] or inbound.notation,
        urgency=data.urgency,
        secrecy=data.secrecy,
        code_number=fields.get("CodeNumber", "")[:11],
        code_notation=inbound.notation[:30],
        issued_on=inbound.promulgation_date,
        signer_name=fields.get("FullName", "")[:200],
        due_on=data.due_on or _date(fields.get("DueDate", "")),
    )
    with transaction.atomic():
        target = _locked(actor, inbound, "exchange.register")
        if target.state != InboxState.WAITING:
            raise ValidationError(_("This document is no longer waiting to be registered."))
        files = [
            (f.file, f.name, FileRole.MAIN if i == 0 else FileRole.ATTACHMENT)
            for i, f in enumerate(target.files.select_related("file"))
        ]
        document = incoming.register_incoming(
            actor=actor,
            data=incoming_data,
            confirm_duplicate=data.confirm_duplicate,
            stored=files,
            details={"exchange": target.hub_doc_id, "document_id": target.document_id},
        )
        target.state = InboxState.REGISTERED
        target.incoming = document
        target.reported = "03"
        target.save(update_fields=["state", "incoming", "reported"])
        outbox.enqueue_status(
            target,
            "03",
            _("Registered as incoming document no. %(number)s.") % {"number": document.arrival_number},
            _staff(actor),
        )
        return document


def refuse(*, actor: Actor, inbound: InboundPackage, reason: str) -> InboundPackage:
    """Send it back (02) with the reason: wrong recipient, errors, not this organization's competence."""
    reason = normalize(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for refusing the document.")]})
    with transaction.atomic():
        target = _locked(actor, inbound, "exchange.refuse")
        if target.state != InboxState.WAITING:
            raise ValidationError(_("This document is no longer waiting to be registered."))
        target.state = InboxState.REFUSED
        target.note = reason[:1000]
        target.reported = "02"
        target.save(update_fields=["state", "note", "reported"])
        outbox.enqueue_status(target, "02", reason, _staff(actor))
        audit.record(
            "exchange.refuse", by=actor, organization=target.organization, obj=target, details={"reason": reason[:300]}
        )
        return target


def answer_recall(*, actor: Actor, inbound: InboundPackage, agree: bool, reason: str = "") -> InboundPackage:
    """Answer the issuer's request to take the document back: 15 (agreed: it is withdrawn here) or 16."""
    reason = normalize(reason)
    if not agree and not reason:
        raise ValidationError({"reason": [_("Give the reason for keeping the document.")]})
    with transaction.atomic():
        target = _locked(actor, inbound, "exchange.answer_recall")
        if not target.recall_reason or target.recall_answer:
            raise ValidationError(_("No request to take this document back is open."))
        target.recall_answer = "15" if agree else "16"
        if agree:
            if target.state == InboxState.WAITING:
                target.state = InboxState.WITHDRAWN
            elif target.incoming is not None:
                external.withdraw_incoming(target.incoming, target.recall_reason)
                target.state = InboxState.WITHDRAWN
        target.save(update_fields=["recall_answer", "state"])
        text = _("Agreed to give the document back.") if agree else reason
        outbox.enqueue_status(target, target.recall_answer, text, _staff(actor))
        audit.record(
            "exchange.answer_recall",
            by=actor,
            organization=target.organization,
            obj=target,
            details={"answer": target.recall_answer, "reason": reason[:300]},
        )
        return target

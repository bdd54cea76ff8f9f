"""Registering incoming documents (văn bản đến)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, uploads
from tacnghiep.core.access import deny
from tacnghiep.core.models import StoredFile
from tacnghiep.core.text import fold, normalize
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry, Organization, Role
from tacnghiep.documents.models import (
    Direction,
    DocumentEvent,
    DocumentFile,
    EventKind,
    FileRole,
    IncomingDocument,
    Recipient,
    Register,
    is_secret_level,
)
from tacnghiep.documents.services.numbering import period_key, series_key, take_number


@dataclass
class IncomingData:
    register: Register
    arrived_at: datetime.datetime
    received_via: str
    issuer_name: str
    document_type: CatalogEntry
    subject: str
    urgency: CatalogEntry
    secrecy: CatalogEntry
    issuer: Organization | None = None
    code_number: str = ""
    code_notation: str = ""
    issued_on: datetime.date | None = None
    signer_name: str = ""
    signing_authority: str = ""
    due_on: datetime.date | None = None
    page_count: int | None = None


class LikelyDuplicate(ValidationError):
    """The same issuer, number and notation, and issued date are already registered here."""

    def __init__(self, matches: list[IncomingDocument]) -> None:
        self.matches = matches
        super().__init__(
            _(
                "A document from the same issuer with the same number and date is already registered "
                "(arrival number %(n)s)."
            )
            % {"n": matches[0].arrival_number},
            code="likely_duplicate",
        )


def can_register_into(actor: Actor, register: Register) -> bool:
    return actor.has_role(Role.CLERK, register.organization)


def likely_duplicates(data: IncomingData) -> list[IncomingDocument]:
    """NĐ 30 PL VI: warn on a document with the same (issuer, số/ký hiệu, issued date)."""
    if not data.code_notation or data.issued_on is None:
        return []
    same_issuer = Q(issuer=data.issuer) if data.issuer is not None else Q(issuer_name__iexact=data.issuer_name)
    return list(
        IncomingDocument.objects.filter(
            same_issuer,
            organization=data.register.organization,
            code_notation__iexact=data.code_notation,
            issued_on=data.issued_on,
        )[:5]
    )


def _clean(data: IncomingData) -> None:
    data.subject = normalize(data.subject)
    data.issuer_name = normalize(data.issuer_name or (data.issuer.name if data.issuer else ""))
    # As written: real notations carry lower-case parts (912-CV/VPTW/nb); comparisons ignore case.
    data.code_notation = normalize(data.code_notation).replace(" ", "")
    data.signer_name = normalize(data.signer_name)
    errors: dict[str, list[str]] = {}
    if not data.subject:
        errors["subject"] = [_("The subject (trích yếu) is required.")]
    if not data.issuer_name:
        errors["issuer_name"] = [_("Name the issuing organization.")]
    for field, catalog in (
        ("document_type", "document-types"),
        ("urgency", "urgency-levels"),
        ("secrecy", "secrecy-levels"),
    ):
        entry: CatalogEntry = getattr(data, field)
        if entry.catalog.code != catalog or entry.retired_on is not None:
            errors[field] = [_("Choose a value from the right catalog.")]
    if data.register.direction != Direction.INCOMING or not data.register.is_active:
        errors["register"] = [_("Choose an incoming register that is in use.")]
    if data.issued_on is not None and data.issued_on > timezone.localdate(data.arrived_at):
        errors["issued_on"] = [_("The issued date cannot be after the arrival date.")]
    if data.due_on is not None and data.due_on < timezone.localdate(data.arrived_at):
        errors["due_on"] = [_("The due date cannot be before the arrival date.")]
    if errors:
        raise ValidationError(errors)


def register_incoming(
    *,
    actor: Actor,
    data: IncomingData,
    confirm_duplicate: bool = False,
    scans: Sequence[uploads.Uploaded] = (),
    attachments: Sequence[uploads.Uploaded] = (),
    delivery: Recipient | None = None,
    stored: Sequence[tuple[StoredFile, str, str]] = (),
    details: dict[str, object] | None = None,
) -> IncomingDocument:
    """Give the document the next arrival number of its register and record it.

    A likely duplicate is refused with :class:`LikelyDuplicate` unless the clerk
    confirms; nothing is numbered in that case. Every file is checked before
    anything is stored. ``delivery`` is a document issued inside the system
    that this registration receives (its files come along); ``stored`` are
    files already checked and kept (file, name, role), as the exchange receives
    them; ``details`` go into the audit record.
    """
    if not can_register_into(actor, data.register):
        raise deny("incoming.register", by=actor, obj=data.register)
    _clean(data)
    checked = [(uploads.inspect(f, uploads.SCANS), FileRole.MAIN) for f in scans] + [
        (uploads.inspect(f, uploads.ATTACHMENTS), FileRole.ATTACHMENT) for f in attachments
    ]
    if data.page_count is None and (checked or stored):
        data.page_count = (
            sum(i.page_count or 0 for i, role in checked if role == FileRole.MAIN)
            + sum(f.page_count or 0 for f, _name, role in stored if role == FileRole.MAIN)
        ) or None
    if not confirm_duplicate:
        matches = likely_duplicates(data)
        if matches:
            raise LikelyDuplicate(matches)
    with transaction.atomic():
        register = data.register
        period = period_key(register, timezone.localdate(data.arrived_at))
        series = series_key(register, data.document_type, data.secrecy)
        number = take_number(register, period, series)
        document = IncomingDocument.objects.create(
            register=register,
            organization=register.organization,
            arrival_period=period,
            arrival_series=series,
            arrival_number=number,
            arrived_at=data.arrived_at,
            received_via=data.received_via,
            issuer=data.issuer,
            issuer_name=data.issuer_name,
            code_number=data.code_number,
            code_notation=data.code_notation,
            issued_on=data.issued_on,
            document_type=data.document_type,
            subject=data.subject,
            signer_name=data.signer_name,
            signing_authority=data.signing_authority,
            urgency=data.urgency,
            secrecy=data.secrecy,
            due_on=data.due_on,
            page_count=data.page_count,
            is_secret=is_secret_level(data.secrecy),
            registered_by=actor.person,
            search_text=fold(" ".join([data.subject, data.issuer_name, data.code_notation, data.signer_name]))[:1000],
        )
        for position, (inspected, role) in enumerate(checked):
            DocumentFile.objects.create(
                incoming=document,
                file=uploads.store(inspected),
                name=inspected.name,
                role=role,
                position=position,
                added_by=actor.person,
            )
        for position, (kept, name, kept_role) in enumerate(stored, start=len(checked)):
            DocumentFile.objects.create(
                incoming=document, file=kept, name=name, role=kept_role, position=position, added_by=actor.person
            )
        details = {**(details or {}), "register": register.pk, "period": period, "arrival_number": number}
        if delivery is not None:
            from tacnghiep.documents.services.issuing import link_delivery

            link_delivery(actor, delivery, document.pk)
            details["delivered_from"] = delivery.document_id
        DocumentEvent.objects.create(
            document=document, kind=EventKind.REGISTERED, actor=actor.person, acting_for=actor.acting_for
        )
        audit.record("incoming.register", by=actor, organization=register.organization, obj=document, details=details)
        return document


def add_files(
    *,
    actor: Actor,
    document: IncomingDocument,
    scans: Sequence[uploads.Uploaded],
    attachments: Sequence[uploads.Uploaded],
) -> list[DocumentFile]:
    """Scans or attachments that arrived after registration, added by a clerk of the register."""
    if not can_register_into(actor, document.register):
        raise deny("incoming.add_files", by=actor, obj=document)
    checked = [(uploads.inspect(f, uploads.SCANS), FileRole.MAIN) for f in scans] + [
        (uploads.inspect(f, uploads.ATTACHMENTS), FileRole.ATTACHMENT) for f in attachments
    ]
    if not checked:
        raise ValidationError(_("Choose at least one file."))
    with transaction.atomic():
        start = DocumentFile.objects.filter(incoming=document).count()
        created = [
            DocumentFile.objects.create(
                incoming=document,
                file=uploads.store(inspected),
                name=inspected.name,
                role=role,
                position=start + i,
                added_by=actor.person,
            )
            for i, (inspected, role) in enumerate(checked)
        ]
        names = ", ".join(item.name for item in created)
        DocumentEvent.objects.create(
            document=document, kind=EventKind.FILES_ADDED, actor=actor.person, acting_for=actor.acting_for, text=names
        )
        audit.record(
            "incoming.add_files",
            by=actor,
            organization=document.organization,
            obj=document,
            details={"files": [[i.name, i.file.sha256] for i in created]},
        )
        return created

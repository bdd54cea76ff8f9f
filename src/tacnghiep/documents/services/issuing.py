"""Issuing outgoing documents: numbering, recipients, internal delivery, revocation (ban hành, phát hành)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, uploads
from tacnghiep.core.access import deny
from tacnghiep.core.models import StoredFile
from tacnghiep.core.notifications import notify
from tacnghiep.core.text import fold, normalize
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, Person, Role
from tacnghiep.directory.selectors import roles as role_selectors
from tacnghiep.documents.models import (
    Assignment,
    AssignmentStatus,
    DeliveryState,
    Direction,
    DocumentFile,
    DraftVersion,
    EventKind,
    FileRole,
    OutgoingDocument,
    OutgoingStatus,
    Recipient,
    Register,
    Supersession,
)
from tacnghiep.documents.services import drafting, external
from tacnghiep.documents.services.numbering import notation, period_key, series_key, take_number


@dataclass
class RecipientSpec:
    organization: Organization | None = None
    place: str = ""
    for_information: bool = False


def can_issue(actor: Actor, document: OutgoingDocument) -> bool:
    """The clerks of the issuing organization number and issue (văn thư cơ quan)."""
    return actor.has_role(Role.CLERK, document.organization)


def add_attachment(*, actor: Actor, document: OutgoingDocument, upload: uploads.Uploaded) -> DocumentFile:
    """An attachment in its own file (phụ lục), added by the drafter or a clerk before issue."""
    if not (drafting.can_edit(actor, document) or can_issue(actor, document)):
        raise deny("outgoing.add_attachment", by=actor, obj=document)
    inspected = uploads.inspect(upload, uploads.ATTACHMENTS)
    with transaction.atomic():
        target = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if target.status in drafting.PUBLISHED_STATES:
            raise ValidationError(_("An issued document cannot change; issue an update instead."))
        item = DocumentFile.objects.create(
            outgoing=target,
            file=uploads.store(inspected),
            name=inspected.name,
            role=FileRole.ATTACHMENT,
            position=DocumentFile.objects.filter(outgoing=target).count(),
            added_by=actor.person,
        )
        drafting.event(actor, target, EventKind.FILES_ADDED, inspected.name)
        audit.record(
            "outgoing.add_attachment",
            by=actor,
            organization=target.organization,
            obj=target,
            details={"name": inspected.name, "sha256": inspected.sha256},
        )
        return item


def _check_recipients(specs: list[RecipientSpec]) -> list[RecipientSpec]:
    cleaned: list[RecipientSpec] = []
    seen: set[int] = set()
    for spec in specs:
        place = normalize(spec.place)
        if spec.organization is None and not place:
            continue
        if spec.organization is not None:
            if spec.organization.pk in seen:
                continue
            seen.add(spec.organization.pk)
            place = ""
        cleaned.append(RecipientSpec(spec.organization, place[:200], spec.for_information))
    if not cleaned:
        raise ValidationError({"recipients": [_("Name at least one recipient (nơi nhận).")]})
    return cleaned


def issue(
    *,
    actor: Actor,
    document: OutgoingDocument,
    register: Register,
    recipients: list[RecipientSpec],
    issued_on: datetime.date | None = None,
) -> OutgoingDocument:
    """Number an approved document in the register, record where it goes and deliver it inside the system.

    The number is taken inside this transaction, so a failure later in the
    issue gives it back. The main text is the PDF of the approved version.
    Recipients in this directory receive it in their clerks' waiting list; the
    exchange module will send the others.
    """
    if not can_issue(actor, document):
        raise deny("outgoing.issue", by=actor, obj=document)
    specs = _check_recipients(recipients)
    issued_on = issued_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if (
        register.organization_id != document.organization_id
        or register.direction not in (Direction.OUTGOING, Direction.INTERNAL)
        or not register.is_active
    ):
        errors["register"] = [_("Choose an outgoing register of the issuing organization.")]
    if issued_on > timezone.localdate():
        errors["issued_on"] = [_("The issued date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = OutgoingDocument.objects.select_for_update().select_related("document_type").get(pk=document.pk)
        if target.status != OutgoingStatus.APPROVED:
            raise ValidationError(_("Only an approved document can be issued."))
        version = DraftVersion.objects.filter(document=target).order_by("-number").select_related("pdf").first()
        if version is None or version.pdf is None:
            raise ValidationError(
                _("The approved version has no PDF yet. Upload the final text as PDF (LibreOffice is not available).")
            )
        period = period_key(register, issued_on)
        series = series_key(register, target.document_type, target.secrecy)
        number = take_number(register, period, series)
        target.register = register
        target.issued_period = period
        target.issued_series = series
        target.issued_number = number
        target.code_notation = notation(register, number, target.document_type, target.organization)
        target.issued_on = issued_on
        target.issued_by = actor.person
        target.page_count = version.pdf.page_count
        target.status = OutgoingStatus.ISSUED
        target.search_text = fold(f"{target.subject} {target.code_notation}")[:1000]
        target.save()
        main, signed = _organization_signature(actor, target, target.signed_pdf or version.pdf)
        DocumentFile.objects.create(
            outgoing=target,
            file=main,
            name=f"{target.code_notation.replace('/', '_')}.pdf",
            role=FileRole.MAIN,
            added_by=actor.person,
        )
        rows = [
            Recipient.objects.create(
                document=target,
                organization=spec.organization,
                place=spec.place,
                for_information=spec.for_information,
            )
            for spec in specs
        ]
        for row in rows:
            if row.organization is not None and not external.is_external(row):
                _deliver(target, row)
        external.send(target, [r for r in rows if external.is_external(r)], target.supersession or "new")
        if target.supersedes_id is not None:
            _supersede(actor, target)
        drafting.event(actor, target, EventKind.ISSUED, target.code_notation)
        audit.record(
            "outgoing.issue",
            by=actor,
            organization=target.organization,
            obj=target,
            details={
                "register": register.pk,
                "period": period,
                "number": number,
                "notation": target.code_notation,
                "recipients": [[r.organization_id, r.place] for r in rows],
                "signed": signed,
                "sha256": main.sha256,
            },
        )
        return target


def _organization_signature(actor: Actor, document: OutgoingDocument, text: StoredFile) -> tuple[StoredFile, bool]:
    """After numbering: the organization's signature with number, date and seal; attachments signed too.

    Without an organization key the text goes out as it is (signed on paper),
    unless the settings require digital signatures.
    """
    from tacnghiep.signing.services import signatures

    key = signatures.organization_key(document.organization)
    if key is None:
        if not settings.SIGNING_ALLOW_UNSIGNED:
            raise ValidationError(
                _("%(org)s has no signing key on the server; the administrator must configure one before issuing.")
                % {"org": document.organization.name}
            )
        return text, False
    assert document.issued_on is not None
    data = signatures.sign_as_organization(
        key=key, data=signatures.read(text), notation=document.code_notation, issued_on=document.issued_on
    )
    main = signatures.keep(data, f"{document.code_notation.replace('/', '_')}.pdf")
    moment = signatures.now_vn()
    for item in DocumentFile.objects.filter(outgoing=document, role=FileRole.ATTACHMENT).select_related("file"):
        if item.file.media_type != uploads.PDF:
            continue
        signed = signatures.sign_attachment(
            key=key, data=signatures.read(item.file), notation=document.code_notation, moment=moment
        )
        item.file = signatures.keep(signed, item.name)
        item.save(update_fields=["file"])
    drafting.event(actor, document, EventKind.SIGNED, key.certificate.common_name)
    return main, True


def _deliver(document: OutgoingDocument, recipient: Recipient) -> None:
    """Put the document in the waiting list of the recipient's clerks and tell them."""
    recipient.state = DeliveryState.WAITING
    recipient.state_changed_at = timezone.now()
    recipient.save(update_fields=["state", "state_changed_at"])
    assert recipient.organization is not None
    for clerk in role_selectors.holders(Role.CLERK, recipient.organization):
        notify(
            clerk,
            key=f"delivery:{recipient.pk}",
            text=_("A document arrived from %(issuer)s: %(notation)s")
            % {"issuer": document.organization.name, "notation": document.code_notation},
            link=reverse("documents:deliveries"),
            urgent=bool((document.urgency.attributes or {}).get("rank")),
        )


def _supersede(actor: Actor, successor: OutgoingDocument) -> None:
    assert successor.supersedes_id is not None
    old = OutgoingDocument.objects.select_for_update().get(pk=successor.supersedes_id)
    if old.status != OutgoingStatus.ISSUED:
        raise ValidationError(_("The document this one updates or replaces is no longer in force."))
    if successor.supersession == Supersession.REPLACE:
        old.status = OutgoingStatus.REPLACED
        old.save(update_fields=["status"])
    text = _("%(kind)s by %(notation)s") % {
        "kind": successor.get_supersession_display(),
        "notation": successor.code_notation,
    }
    drafting.event(actor, old, EventKind.SUPERSEDED, text)
    _tell_recipients(old, text)


def _tell_recipients(document: OutgoingDocument, text: str) -> None:
    """Notify those holding the document: clerks of recipients, and assignees of registered copies."""
    message = f"{document.code_notation}: {text}"[:480]
    for recipient in Recipient.objects.filter(document=document, organization__isnull=False).select_related(
        "organization", "incoming"
    ):
        assert recipient.organization is not None
        people: set[Person] = set(role_selectors.holders(Role.CLERK, recipient.organization))
        if recipient.incoming is not None:
            people.update(
                a.person
                for a in Assignment.objects.filter(document=recipient.incoming, person__isnull=False).select_related(
                    "person"
                )
                if a.person is not None
            )
        link = (
            reverse("documents:incoming_detail", args=[recipient.incoming_id])
            if recipient.incoming_id
            else reverse("documents:deliveries")
        )
        for person in people:
            notify(person, key=f"change:{document.pk}:{recipient.pk}:{fold(text)[:60]}", text=message, link=link)


def can_revoke(actor: Actor, document: OutgoingDocument) -> bool:
    return actor.has_role(Role.LEADER, document.organization) or can_issue(actor, document)


def revoke(*, actor: Actor, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    """Withdraw an issued document (thu hồi): deliveries not yet registered are withdrawn, holders told."""
    if not can_revoke(actor, document):
        raise deny("outgoing.revoke", by=actor, obj=document)
    reason = normalize(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for revoking the document.")]})
    with transaction.atomic():
        target = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if target.status != OutgoingStatus.ISSUED:
            raise ValidationError(_("Only a document in force can be revoked."))
        target.status = OutgoingStatus.REVOKED
        target.revoked_reason = reason
        target.save(update_fields=["status", "revoked_reason"])
        Recipient.objects.filter(document=target, state=DeliveryState.WAITING).update(
            state=DeliveryState.WITHDRAWN, state_changed_at=timezone.now()
        )
        reached = Recipient.objects.filter(document=target, organization__is_external=True).exclude(
            state__in=(DeliveryState.REFUSED, DeliveryState.WITHDRAWN, DeliveryState.FAILED)
        )
        external.send(target, list(reached.select_related("organization")), "revoke")
        # Registered copies stay in the recipients' registers (their numbers are used), closed for work.
        Assignment.objects.filter(document__deliveries__document=target, status=AssignmentStatus.PENDING).update(
            status=AssignmentStatus.RETURNED, result=_("The document was revoked by its issuer.")
        )
        drafting.event(actor, target, EventKind.REVOKED, reason)
        _tell_recipients(target, _("revoked: %(reason)s") % {"reason": reason})
        audit.record("outgoing.revoke", by=actor, organization=target.organization, obj=target)
        return target


def register_delivery(
    *, actor: Actor, recipient: Recipient, register: Register, confirm_duplicate: bool = False
) -> Recipient:
    """A recipient's clerk registers a delivered document as incoming, with the issuer's files."""
    from tacnghiep.documents.services import incoming

    document = recipient.document
    if document.issued_number is None:
        raise ValidationError(_("This document has not been issued."))
    data = incoming.IncomingData(
        register=register,
        arrived_at=recipient.state_changed_at or timezone.now(),
        received_via="electronic",
        issuer=document.organization,
        issuer_name=document.organization.name,
        document_type=document.document_type,
        subject=document.subject,
        urgency=document.urgency,
        secrecy=document.secrecy,
        code_number=str(document.issued_number),
        code_notation=document.code_notation,
        issued_on=document.issued_on,
        signer_name=document.signer.full_name if document.signer else "",
        signing_authority=document.signing_authority,
        page_count=document.page_count,
    )
    registered = incoming.register_incoming(
        actor=actor, data=data, confirm_duplicate=confirm_duplicate, delivery=recipient
    )
    recipient.refresh_from_db()
    assert recipient.incoming_id == registered.pk
    return recipient


def refuse_delivery(*, actor: Actor, recipient: Recipient, reason: str) -> Recipient:
    """The recipient's clerk sends a delivery back (wrong addressee, incomplete, …)."""
    if recipient.organization is None or not actor.has_role(Role.CLERK, recipient.organization):
        raise deny("delivery.refuse", by=actor, obj=recipient.document)
    reason = normalize(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for refusing the document.")]})
    with transaction.atomic():
        target = Recipient.objects.select_for_update().select_related("document").get(pk=recipient.pk)
        if target.state != DeliveryState.WAITING:
            raise ValidationError(_("This document is no longer waiting to be received."))
        target.state = DeliveryState.REFUSED
        target.note = reason
        target.state_changed_at = timezone.now()
        target.save(update_fields=["state", "note", "state_changed_at"])
        document = target.document
        drafting.event(actor, document, EventKind.DELIVERY_REFUSED, f"{target.organization}: {reason}")
        for person in {document.drafted_by, *role_selectors.holders(Role.CLERK, document.organization)}:
            notify(
                person,
                key=f"refused:{target.pk}",
                text=_("%(org)s refused %(notation)s: %(reason)s")
                % {"org": target.organization, "notation": document.code_notation, "reason": reason[:200]},
                link=drafting.link(document),
            )
        audit.record("delivery.refuse", by=actor, organization=target.organization, obj=document)
        return target


def link_delivery(actor: Actor, recipient: Recipient, incoming_pk: int) -> None:
    """Called by incoming registration inside its transaction: the delivery is now registered."""
    target = Recipient.objects.select_for_update().select_related("document").get(pk=recipient.pk)
    if target.state != DeliveryState.WAITING or target.organization is None:
        raise ValidationError(_("This document is no longer waiting to be received."))
    if not actor.has_role(Role.CLERK, target.organization):
        raise deny("delivery.register", by=actor, obj=target.document)
    target.state = DeliveryState.REGISTERED
    target.incoming_id = incoming_pk
    target.state_changed_at = timezone.now()
    target.save(update_fields=["state", "incoming", "state_changed_at"])
    for item in DocumentFile.objects.filter(outgoing=target.document):
        DocumentFile.objects.create(
            incoming_id=incoming_pk,
            file=item.file,
            name=item.name,
            role=item.role,
            position=item.position,
            added_by=actor.person,
        )
    drafting.event(actor, target.document, EventKind.DELIVERY_REGISTERED, str(target.organization))

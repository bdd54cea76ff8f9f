"""Drafting outgoing documents: versions, review chains, comments, approval (dự thảo, trình duyệt)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, uploads
from tacnghiep.core.access import deny
from tacnghiep.core.models import StoredFile
from tacnghiep.core.notifications import notify
from tacnghiep.core.text import fold, normalize
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry, Organization, Person, Role
from tacnghiep.documents.models import (
    Direction,
    DocumentEvent,
    DraftVersion,
    EventKind,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    Register,
    ReviewDecision,
    ReviewMode,
    ReviewStep,
    ReviewVerdict,
    StepState,
    Supersession,
    VersionComment,
    is_secret_level,
)
from tacnghiep.documents.services import rendering

EDITABLE_STATES = (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED)
PUBLISHED_STATES = (OutgoingStatus.ISSUED, OutgoingStatus.REVOKED, OutgoingStatus.REPLACED)


def event(actor: Actor, document: OutgoingDocument, kind: str, text: str = "") -> DocumentEvent:
    return DocumentEvent.objects.create(
        outgoing=document, kind=kind, actor=actor.person, acting_for=actor.acting_for, text=text
    )


def link(document: OutgoingDocument) -> str:
    return reverse("documents:outgoing_detail", args=[document.pk])


def drafting_organizations(actor: Actor) -> list[Organization]:
    """Organizations the actor may draft for: those with an outgoing register at or above where they work."""
    own = actor.membership_paths + [g.path for g in actor.grants]
    registers = Register.objects.filter(
        direction__in=[Direction.OUTGOING, Direction.INTERNAL], is_active=True
    ).select_related("organization")
    found = {
        r.organization_id: r.organization for r in registers if any(p.startswith(r.organization.path) for p in own)
    }
    return sorted(found.values(), key=lambda o: (o.path, o.name))


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update().get(pk=document.pk)


@dataclass
class DraftData:
    organization: Organization
    document_type: CatalogEntry
    subject: str
    urgency: CatalogEntry
    secrecy: CatalogEntry
    reply_to: IncomingDocument | None = None
    supersedes: OutgoingDocument | None = None
    supersession: str = ""


def _clean(actor: Actor, data: DraftData) -> None:
    data.subject = normalize(data.subject)
    errors: dict[str, list[str]] = {}
    if not data.subject:
        errors["subject"] = [_("The subject (trích yếu) is required.")]
    if data.organization.pk not in {o.pk for o in drafting_organizations(actor)}:
        errors["organization"] = [_("You cannot draft documents for this organization.")]
    for name, catalog in (
        ("document_type", "document-types"),
        ("urgency", "urgency-levels"),
        ("secrecy", "secrecy-levels"),
    ):
        entry: CatalogEntry = getattr(data, name)
        if entry.catalog.code != catalog or entry.retired_on is not None:
            errors[name] = [_("Choose a value from the right catalog.")]
    if data.supersedes is not None:
        if data.supersedes.status != OutgoingStatus.ISSUED or data.supersedes.organization_id != data.organization.pk:
            errors["supersedes"] = [_("Only a document issued by the same organization can be updated or replaced.")]
        if data.supersession not in Supersession.values:
            errors["supersession"] = [_("Say whether the new document updates or replaces the old one.")]
    if errors:
        raise ValidationError(errors)


def create_draft(*, actor: Actor, data: DraftData, upload: uploads.Uploaded, note: str = "") -> OutgoingDocument:
    """A new draft with its first version (a .docx or a .pdf)."""
    _clean(actor, data)
    inspected = uploads.inspect(upload, uploads.DRAFTS)
    with transaction.atomic():
        document = OutgoingDocument.objects.create(
            organization=data.organization,
            document_type=data.document_type,
            subject=data.subject,
            urgency=data.urgency,
            secrecy=data.secrecy,
            is_secret=is_secret_level(data.secrecy),
            drafted_by=actor.principal,
            reply_to=data.reply_to,
            supersedes=data.supersedes,
            supersession=data.supersession if data.supersedes else "",
            search_text=fold(data.subject)[:1000],
        )
        version = _add_version(actor, document, inspected, note)
        event(actor, document, EventKind.DRAFTED, normalize(note))
        audit.record(
            "outgoing.draft", by=actor, organization=document.organization, obj=document, details={"version": 1}
        )
    rendering.schedule(version)
    return document


def _add_version(actor: Actor, document: OutgoingDocument, inspected: uploads.Inspected, note: str) -> DraftVersion:
    stored = uploads.store(inspected)
    last = DraftVersion.objects.filter(document=document).aggregate(m=Max("number"))["m"] or 0
    return DraftVersion.objects.create(
        document=document,
        number=last + 1,
        file=stored,
        name=inspected.name,
        pdf=stored if inspected.media_type == uploads.PDF else None,
        note=normalize(note),
        created_by=actor.person,
    )


def can_edit(actor: Actor, document: OutgoingDocument) -> bool:
    return document.drafted_by_id == actor.principal.pk and document.status in EDITABLE_STATES


def add_version(*, actor: Actor, document: OutgoingDocument, upload: uploads.Uploaded, note: str) -> DraftVersion:
    """The drafter uploads a new text while the draft is with them (not while it is in review)."""
    if document.drafted_by_id != actor.principal.pk:
        raise deny("outgoing.add_version", by=actor, obj=document)
    inspected = uploads.inspect(upload, uploads.DRAFTS)
    with transaction.atomic():
        target = _locked(document)
        if target.status not in EDITABLE_STATES:
            raise ValidationError(_("A new version can be added only while the draft is with its drafter."))
        version = _add_version(actor, target, inspected, note)
        event(actor, target, EventKind.VERSION_ADDED, _("Version %(n)s") % {"n": version.number})
        audit.record(
            "outgoing.add_version",
            by=actor,
            organization=target.organization,
            obj=target,
            details={"version": version.number, "sha256": version.file.sha256},
        )
    rendering.schedule(version)
    return version


@dataclass
class StepSpec:
    reviewers: list[Person]
    mode: str = ReviewMode.ALL


def _members_in(person: Person, organization: Organization) -> bool:
    return any(p.startswith(organization.path) for p in Actor(person=person).membership_paths)


def _check_chain(document: OutgoingDocument, steps: list[StepSpec], signer: Person) -> None:
    errors: list[str] = []
    for step in steps:
        if not step.reviewers:
            errors.append(_("Every review step needs at least one reviewer."))
        if step.mode not in ReviewMode.values:
            errors.append(_("Unknown approval rule."))
        if len({p.pk for p in step.reviewers}) != len(step.reviewers):
            errors.append(_("The same reviewer is named twice in one step."))
        if any(not _members_in(p, document.organization) for p in step.reviewers):
            errors.append(_("Reviewers must work in the issuing organization."))
    if not Actor(person=signer).has_role(Role.LEADER, document.organization):
        errors.append(_("The signer must be a leader of the issuing organization."))
    if errors:
        raise ValidationError(sorted(set(errors)))


def submit(*, actor: Actor, document: OutgoingDocument, steps: list[StepSpec], signer: Person) -> list[ReviewStep]:
    """Send the latest version through the review chain; the signer's approval is always the last step."""
    if document.drafted_by_id != actor.principal.pk:
        raise deny("outgoing.submit", by=actor, obj=document)
    _check_chain(document, steps, signer)
    with transaction.atomic():
        target = _locked(document)
        if target.status not in EDITABLE_STATES:
            raise ValidationError(_("This draft has already been submitted."))
        version = DraftVersion.objects.filter(document=target).order_by("-number").first()
        if version is None:
            raise ValidationError(_("Upload the text of the draft first."))
        last_round = ReviewStep.objects.filter(document=target).aggregate(m=Max("round"))["m"] or 0
        chain = [*steps, StepSpec(reviewers=[signer], mode=ReviewMode.ALL)]
        created = []
        for position, spec in enumerate(chain, start=1):
            step = ReviewStep.objects.create(
                document=target,
                round=last_round + 1,
                position=position,
                mode=spec.mode,
                state=StepState.ACTIVE if position == 1 else StepState.WAITING,
                version=version,
            )
            ReviewDecision.objects.bulk_create([ReviewDecision(step=step, reviewer=p) for p in spec.reviewers])
            created.append(step)
        target.status = OutgoingStatus.IN_REVIEW
        target.signer = signer
        target.save(update_fields=["status", "signer"])
        event(actor, target, EventKind.SUBMITTED, _("Version %(n)s") % {"n": version.number})
        audit.record(
            "outgoing.submit",
            by=actor,
            organization=target.organization,
            obj=target,
            details={"version": version.number, "steps": [[p.pk for p in s.reviewers] for s in chain]},
        )
        _notify_step(created[0])
        return created


def _notify_step(step: ReviewStep) -> None:
    document = step.document
    for decision in step.decisions.select_related("reviewer"):
        notify(
            decision.reviewer,
            key=f"review:{step.pk}",
            text=_("A draft waits for your review: %(subject)s") % {"subject": document.subject[:200]},
            link=link(document),
        )


def pending_decision(actor: Actor, document: OutgoingDocument) -> ReviewDecision | None:
    """The actor's (or their principal's) open decision in the active step, if any."""
    return (
        ReviewDecision.objects.filter(
            step__document=document,
            step__state=StepState.ACTIVE,
            reviewer=actor.principal,
            verdict=ReviewVerdict.PENDING,
        )
        .select_related("step")
        .first()
    )


def review(
    *,
    actor: Actor,
    document: OutgoingDocument,
    approve: bool,
    comment: str = "",
    sign: bool = False,
    signed_pdf: StoredFile | None = None,
) -> OutgoingDocument:
    """A reviewer approves or returns the draft.

    Returning ends the round: the draft goes back to its drafter. Approving
    completes the step when its rule (all or any) is met; the next step starts,
    and after the last one (the signer's) the document is approved for issue.
    The signer approves and signs in one step: with their key on the server
    (``sign``) or with a PDF their desktop signing tool signed (``signed_pdf``).
    """
    comment = normalize(comment)
    if not approve and not comment:
        raise ValidationError({"comment": [_("Say what must change before the draft can be approved.")]})
    with transaction.atomic():
        target = _locked(document)
        decision = pending_decision(actor, target)
        if decision is None or target.status != OutgoingStatus.IN_REVIEW:
            raise deny("outgoing.review", by=actor, obj=target, message=_("Nothing here waits for your review."))
        now = timezone.now()
        decision.verdict = ReviewVerdict.APPROVED if approve else ReviewVerdict.RETURNED
        decision.comment = comment
        decision.decided_by = actor.person
        decision.decided_at = now
        decision.save(update_fields=["verdict", "comment", "decided_by", "decided_at"])
        step = decision.step
        if comment:
            VersionComment.objects.create(
                version=step.version, author=actor.person, acting_for=actor.acting_for, text=comment
            )
        if approve:
            _after_approval(actor, target, step)
            if target.status == OutgoingStatus.APPROVED:
                _signature(actor, target, step.version, sign=sign, signed_pdf=signed_pdf)
        else:
            _return(target, step)
        event(actor, target, EventKind.REVIEW_APPROVED if approve else EventKind.REVIEW_RETURNED, comment)
        if target.status == OutgoingStatus.APPROVED:
            event(actor, target, EventKind.APPROVED)
        audit.record(
            "outgoing.review",
            by=actor,
            organization=target.organization,
            obj=target,
            details={
                "approved": approve,
                "step": step.position,
                "round": step.round,
                "status": target.status,
                "signed": target.signed_pdf.sha256 if target.signed_pdf else None,
            },
        )
        return target


def _signature(
    actor: Actor, document: OutgoingDocument, version: DraftVersion, *, sign: bool, signed_pdf: StoredFile | None
) -> None:
    from tacnghiep.signing.services import signatures

    if signed_pdf is not None:
        document.signed_pdf = signed_pdf
    elif sign:
        key = signatures.person_key(actor.person)
        if key is None:
            raise ValidationError(_("You have no signing key on the server; sign with the desktop signing tool."))
        if version.pdf is None:
            raise ValidationError(_("The PDF of this version is not ready yet; sign when it is."))
        data = signatures.sign_as_signer(key=key, data=signatures.read(version.pdf), signer_name=actor.person.full_name)
        stem = version.name.rsplit(".", 1)[0]
        document.signed_pdf = signatures.keep(data, f"{stem}-da-ky.pdf")
    elif not settings.SIGNING_ALLOW_UNSIGNED:
        raise ValidationError(_("The signer must sign the document digitally."))
    else:
        return
    document.save(update_fields=["signed_pdf"])
    event(actor, document, EventKind.SIGNED)


def can_sign_on_desktop(actor: Actor, document: OutgoingDocument) -> bool:
    """The signer's own open decision, in the last step: what the desktop tool may complete."""
    decision = pending_decision(actor, document)
    if decision is None or document.status != OutgoingStatus.IN_REVIEW:
        return False
    last = ReviewStep.objects.filter(document=document, round=decision.step.round).aggregate(m=Max("position"))["m"]
    return bool(decision.step.position == last)


def approve_signed_on_desktop(actor: Actor, document_id: int, signed: StoredFile) -> None:
    """Completes a desktop signing session opened for the signer's approval."""
    document = OutgoingDocument.objects.get(pk=document_id)
    if not can_sign_on_desktop(actor, document):
        raise ValidationError(_("Nothing here waits for your signature any more."))
    review(actor=actor, document=document, approve=True, signed_pdf=signed)


def _after_approval(actor: Actor, document: OutgoingDocument, step: ReviewStep) -> None:
    pending = step.decisions.filter(verdict=ReviewVerdict.PENDING)
    if step.mode == ReviewMode.ALL and pending.exists():
        return
    pending.update(verdict=ReviewVerdict.NOT_NEEDED)
    step.state = StepState.APPROVED
    step.save(update_fields=["state"])
    following = ReviewStep.objects.filter(document=document, round=step.round, position__gt=step.position)
    upcoming = following.order_by("position").first()
    if upcoming is not None:
        upcoming.state = StepState.ACTIVE
        upcoming.save(update_fields=["state"])
        _notify_step(upcoming)
        return
    document.status = OutgoingStatus.APPROVED
    document.approved_by = actor.principal
    document.approved_at = timezone.now()
    document.save(update_fields=["status", "approved_by", "approved_at"])
    for clerk in _clerks_of(document.organization):
        notify(
            clerk,
            key=f"to-issue:{document.pk}",
            text=_("Approved, waiting to be issued: %(subject)s") % {"subject": document.subject[:200]},
            link=link(document),
        )
    notify(
        document.drafted_by,
        key=f"approved:{document.pk}",
        text=_("Your draft was approved: %(subject)s") % {"subject": document.subject[:200]},
        link=link(document),
    )


def _return(document: OutgoingDocument, step: ReviewStep) -> None:
    step.decisions.filter(verdict=ReviewVerdict.PENDING).update(verdict=ReviewVerdict.NOT_NEEDED)
    step.state = StepState.RETURNED
    step.save(update_fields=["state"])
    ReviewStep.objects.filter(document=document, round=step.round, state=StepState.WAITING).update(
        state=StepState.CANCELLED
    )
    document.status = OutgoingStatus.RETURNED
    document.save(update_fields=["status"])
    notify(
        document.drafted_by,
        key=f"returned:{step.pk}",
        text=_("Your draft was returned for changes: %(subject)s") % {"subject": document.subject[:200]},
        link=link(document),
    )


def _clerks_of(organization: Organization) -> list[Person]:
    from tacnghiep.directory.selectors import roles as role_selectors

    return role_selectors.holders(Role.CLERK, organization)


def involved(actor: Actor, document: OutgoingDocument) -> bool:
    principal = actor.principal.pk
    return (
        document.drafted_by_id == principal
        or document.signer_id == principal
        or ReviewDecision.objects.filter(step__document=document, reviewer_id=principal).exists()
        or actor.has_role(Role.LEADER, document.organization)
        or actor.has_role(Role.CLERK, document.organization)
    )


def comment_on(*, actor: Actor, version: DraftVersion, text: str) -> VersionComment:
    """A remark on one version by anyone taking part in the draft."""
    if not involved(actor, version.document):
        raise deny("outgoing.comment", by=actor, obj=version.document)
    text = normalize(text)
    if not text:
        raise ValidationError({"text": [_("Write the comment.")]})
    with transaction.atomic():
        comment = VersionComment.objects.create(
            version=version, author=actor.person, acting_for=actor.acting_for, text=text
        )
        audit.record(
            "outgoing.comment",
            by=actor,
            organization=version.document.organization,
            obj=version.document,
            details={"version": version.number},
        )
        return comment

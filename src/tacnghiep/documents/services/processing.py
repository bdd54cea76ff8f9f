"""Directing and handling incoming documents (chỉ đạo, phân công, xử lý)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.access import deny
from tacnghiep.core.text import normalize
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor, current_q
from tacnghiep.directory.models import Membership, Organization, Person, Role
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    DeadlineExtension,
    DocumentEvent,
    EventKind,
    ExtensionDecision,
    IncomingDocument,
)


@dataclass
class AssignmentSpec:
    role: str
    person: Person | None = None
    organization: Organization | None = None
    due_on: datetime.date | None = None


def _event(
    actor: Actor, document: IncomingDocument, kind: str, *, assignment: Assignment | None = None, text: str = ""
) -> DocumentEvent:
    """One step of the document's history, attributed like the audit record (X for Y)."""
    return DocumentEvent.objects.create(
        document=document, kind=kind, actor=actor.person, acting_for=actor.acting_for, assignment=assignment, text=text
    )


def _close(actor: Actor, assignment: Assignment, status: str, kind: str, text: str, action: str) -> Assignment:
    """End an open assignment (completed or returned) with its text, history and audit record."""
    with transaction.atomic():
        target = _pending(assignment)
        target.status = status
        target.result = text
        target.completed_at = timezone.now()
        target.save(update_fields=["status", "result", "completed_at"])
        _event(actor, target.document, kind, assignment=target, text=text)
        audit.record(action, by=actor, organization=target.document.organization, obj=target)
        return target


def can_direct(actor: Actor, document: IncomingDocument) -> bool:
    """Leaders of the registering organization direct (a delegate acting for one does too)."""
    return actor.has_role(Role.LEADER, document.organization)


def _check(actor: Actor, document: IncomingDocument, specs: list[AssignmentSpec]) -> None:
    errors: list[str] = []
    if not specs:
        errors.append(_("Assign the document to at least one person or unit."))
    if specs and not any(spec.role == AssignmentRole.LEAD for spec in specs):
        errors.append(_("Someone must lead the handling (chủ trì)."))
    errors += _assignee_errors(actor, specs)
    if errors:
        raise ValidationError(sorted(set(errors)))


def _assignee_errors(actor: Actor, specs: list[AssignmentSpec]) -> list[str]:
    errors: list[str] = []
    seen: set[tuple[str, int]] = set()
    today = timezone.localdate()
    for spec in specs:
        if spec.role not in AssignmentRole.values:
            errors.append(_("Unknown assignment role."))
        if (spec.person is None) == (spec.organization is None):
            errors.append(_("Each assignment names either one person or one unit."))
            continue
        key = ("p", spec.person.pk) if spec.person is not None else ("o", spec.organization.pk)  # type: ignore[union-attr]
        if key in seen:
            errors.append(_("The same person or unit is assigned twice."))
        seen.add(key)
        if spec.person is not None and not people_selectors.readable(actor).filter(pk=spec.person.pk).exists():
            errors.append(_("A person outside your scope cannot be assigned."))
        if spec.organization is not None and not actor.can_read_path(spec.organization.path):
            errors.append(_("A unit outside your scope cannot be assigned."))
        if spec.due_on is not None and spec.due_on < today:
            errors.append(_("A deadline cannot be in the past."))
    return errors


def direct(
    *, actor: Actor, document: IncomingDocument, direction: str, assignments: list[AssignmentSpec]
) -> list[Assignment]:
    """Record the leader's direction and who leads, coordinates or is informed, with their deadlines."""
    if not can_direct(actor, document):
        raise deny("incoming.direct", by=actor, obj=document)
    _check(actor, document, assignments)
    with transaction.atomic():
        created = [
            Assignment.objects.create(
                document=document,
                person=spec.person,
                organization=spec.organization,
                role=spec.role,
                due_on=spec.due_on or (document.due_on if spec.role == AssignmentRole.LEAD else None),
                assigned_by=actor.person,
            )
            for spec in assignments
        ]
        _event(actor, document, EventKind.DIRECTED, text=normalize(direction))
        audit.record(
            "incoming.direct",
            by=actor,
            organization=document.organization,
            obj=document,
            details={"assignments": [[a.role, a.person_id, a.organization_id] for a in created]},
        )
        return created


def can_complete(actor: Actor, assignment: Assignment) -> bool:
    if assignment.person_id is not None:
        return assignment.person_id == actor.principal.pk
    return assignment.organization is not None and actor.has_role(Role.LEADER, assignment.organization)


def complete(*, actor: Actor, assignment: Assignment, result: str) -> Assignment:
    """The assignee reports the result; the step is closed and recorded on the document."""
    if not can_complete(actor, assignment):
        raise deny("assignment.complete", by=actor, obj=assignment)
    result = normalize(result)
    if assignment.role == AssignmentRole.LEAD and not result:
        raise ValidationError({"result": [_("Describe the result of the handling.")]})
    return _close(actor, assignment, AssignmentStatus.COMPLETED, EventKind.COMPLETED, result, "assignment.complete")


def _pending(assignment: Assignment) -> Assignment:
    target = Assignment.objects.select_for_update().select_related("document").get(pk=assignment.pk)
    if target.status != AssignmentStatus.PENDING:
        raise ValidationError(_("This assignment is no longer open."))
    return target


def reassign_within_unit(
    *, actor: Actor, assignment: Assignment, direction: str, assignments: list[AssignmentSpec]
) -> list[Assignment]:
    """A leader of an assigned unit hands the work to people inside that unit (phân công lại)."""
    unit = assignment.organization
    if unit is None or not actor.has_role(Role.LEADER, unit):
        raise deny("assignment.reassign", by=actor, obj=assignment)
    if any(spec.organization is not None for spec in assignments):
        raise ValidationError(_("Inside a unit, assign people."))
    outside = [s.person for s in assignments if s.person is not None and not _member_of(s.person, unit)]
    if outside:
        raise ValidationError(_("Only people of %(unit)s can be assigned here.") % {"unit": unit.name})
    _check(actor, assignment.document, assignments)
    with transaction.atomic():
        parent = _pending(assignment)
        parent.status = AssignmentStatus.DELEGATED
        parent.save(update_fields=["status"])
        created = [
            Assignment.objects.create(
                document=parent.document,
                parent=parent,
                person=spec.person,
                role=spec.role,
                due_on=spec.due_on or parent.due_on,
                assigned_by=actor.person,
            )
            for spec in assignments
        ]
        _event(actor, parent.document, EventKind.REASSIGNED, assignment=parent, text=normalize(direction))
        audit.record(
            "assignment.reassign",
            by=actor,
            organization=parent.document.organization,
            obj=parent,
            details={"people": [a.person_id for a in created]},
        )
        return created


def _member_of(person: Person, unit: Organization) -> bool:
    return Membership.objects.filter(
        current_q(timezone.localdate()), tree.subtree_q([unit.path], field="organization__path"), person=person
    ).exists()


def add_opinion(*, actor: Actor, document: IncomingDocument, text: str) -> DocumentEvent:
    """Anyone taking part (assignee or leader) adds an opinion to the document's history."""
    involved = (
        can_direct(actor, document) or Assignment.objects.filter(document=document, person=actor.principal).exists()
    )
    if not involved:
        raise deny("incoming.opinion", by=actor, obj=document)
    text = normalize(text)
    if not text:
        raise ValidationError({"text": [_("Write the opinion.")]})
    with transaction.atomic():
        event = _event(actor, document, EventKind.OPINION, text=text)
        audit.record("incoming.opinion", by=actor, organization=document.organization, obj=document)
        return event


def return_assignment(*, actor: Actor, assignment: Assignment, reason: str) -> Assignment:
    """The assignee gives the work back with a reason (wrong person, not our field, …)."""
    if not can_complete(actor, assignment):
        raise deny("assignment.return", by=actor, obj=assignment)
    reason = normalize(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for returning it.")]})
    return _close(actor, assignment, AssignmentStatus.RETURNED, EventKind.RETURNED, reason, "assignment.return")


def request_extension(
    *, actor: Actor, assignment: Assignment, requested_due_on: datetime.date, reason: str
) -> DeadlineExtension:
    if not can_complete(actor, assignment):
        raise deny("assignment.request_extension", by=actor, obj=assignment)
    reason = normalize(reason)
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Give the reason for more time.")]
    if assignment.due_on is not None and requested_due_on <= assignment.due_on:
        errors["requested_due_on"] = [_("Ask for a date after the current deadline.")]
    if requested_due_on < timezone.localdate():
        errors["requested_due_on"] = [_("A deadline cannot be in the past.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = _pending(assignment)
        if DeadlineExtension.objects.filter(assignment=target, decision=ExtensionDecision.PENDING).exists():
            raise ValidationError(_("A request for more time is already waiting for a decision."))
        extension = DeadlineExtension.objects.create(
            assignment=target, requested_due_on=requested_due_on, reason=reason
        )
        text = f"{requested_due_on:%d/%m/%Y}: {reason}"
        _event(actor, target.document, EventKind.EXTENSION_REQUESTED, assignment=target, text=text)
        audit.record(
            "assignment.request_extension",
            by=actor,
            organization=target.document.organization,
            obj=target,
            details={"requested_due_on": requested_due_on.isoformat()},
        )
        return extension


def can_decide(actor: Actor, extension: DeadlineExtension) -> bool:
    """The person who assigned the work, or a leader of the registering organization."""
    assignment = extension.assignment
    return assignment.assigned_by_id == actor.principal.pk or can_direct(actor, assignment.document)


def decide_extension(*, actor: Actor, extension: DeadlineExtension, grant: bool) -> DeadlineExtension:
    if not can_decide(actor, extension):
        raise deny("assignment.decide_extension", by=actor, obj=extension.assignment)
    with transaction.atomic():
        target = (
            DeadlineExtension.objects.select_for_update().select_related("assignment__document").get(pk=extension.pk)
        )
        if target.decision != ExtensionDecision.PENDING:
            raise ValidationError(_("This request has already been decided."))
        target.decision = ExtensionDecision.GRANTED if grant else ExtensionDecision.REFUSED
        target.decided_by = actor.person
        target.decided_at = timezone.now()
        target.save(update_fields=["decision", "decided_by", "decided_at"])
        assignment = target.assignment
        if grant:
            assignment.due_on = target.requested_due_on
            assignment.save(update_fields=["due_on"])
        kind = EventKind.EXTENSION_GRANTED if grant else EventKind.EXTENSION_REFUSED
        _event(actor, assignment.document, kind, assignment=assignment)
        audit.record(
            "assignment.decide_extension",
            by=actor,
            organization=assignment.document.organization,
            obj=assignment,
            details={"granted": grant, "due_on": target.requested_due_on.isoformat()},
        )
        return target


def forward(*, actor: Actor, document: IncomingDocument, people: list[Person], note: str) -> list[Assignment]:
    """Someone taking part passes the document on to colleagues for information (chuyển tiếp).

    The new assignments are "for information" under the forwarder's own
    assignment, so the chain stays visible in the history.
    """
    own = Assignment.objects.filter(document=document, person=actor.principal).order_by("-id").first()
    if own is None and not can_direct(actor, document):
        raise deny("incoming.forward", by=actor, obj=document)
    errors = _assignee_errors(actor, [AssignmentSpec(role=AssignmentRole.INFORMATION, person=p) for p in people])
    if not people:
        errors.append(_("Choose at least one person to forward to."))
    if errors:
        raise ValidationError(sorted(set(errors)))
    already = set(
        Assignment.objects.filter(document=document, person__in=people, status=AssignmentStatus.PENDING).values_list(
            "person_id", flat=True
        )
    )
    with transaction.atomic():
        created = [
            Assignment.objects.create(
                document=document,
                parent=own,
                person=person,
                role=AssignmentRole.INFORMATION,
                assigned_by=actor.person,
            )
            for person in people
            if person.pk not in already
        ]
        names = ", ".join(p.full_name for p in people)
        _event(actor, document, EventKind.FORWARDED, text=f"{names}: {normalize(note)}".strip(": "))
        audit.record(
            "incoming.forward",
            by=actor,
            organization=document.organization,
            obj=document,
            details={"people": [p.pk for p in people]},
        )
        return created

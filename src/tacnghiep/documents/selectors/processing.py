from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from tacnghiep.core.access import scoped_get
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, Person, Role
from tacnghiep.directory.selectors import organizations as org_selectors
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.documents.models import (
    Assignment,
    AssignmentStatus,
    DeadlineExtension,
    DocumentEvent,
    ExtensionDecision,
    IncomingDocument,
)
from tacnghiep.documents.selectors import incoming as incoming_selectors


def _mine(actor: Actor) -> Q:
    """Assignments to the principal in person, or to a unit they lead."""
    led = [g.organization_id for g in actor.grants if g.role == Role.LEADER]
    return Q(person=actor.principal) | Q(organization_id__in=led)


def inbox(actor: Actor) -> QuerySet[Assignment]:
    """What the actor (or the person they act for) must do next: most urgent, then earliest deadline."""
    return (
        Assignment.objects.filter(_mine(actor), status=AssignmentStatus.PENDING)
        .select_related("document", "document__urgency", "document__document_type", "organization")
        .order_by(
            F("document__urgency__sort_order").desc(),
            F("due_on").asc(nulls_last=True),
            "id",
        )
    )


def get_own(actor: Actor, pk: object) -> Assignment:
    return scoped_get(
        Assignment.objects.filter(_mine(actor)).select_related("document"), pk, action="assignment.view", by=actor
    )


def assignments_of(document: IncomingDocument) -> QuerySet[Assignment]:
    """Assignments of a document the caller has already been allowed to read."""
    return Assignment.objects.filter(document=document).select_related("person", "organization").order_by("role", "id")


def history(document: IncomingDocument) -> QuerySet[DocumentEvent]:
    return DocumentEvent.objects.filter(document=document).select_related("actor", "acting_for")


def assignable(actor: Actor, document: IncomingDocument) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a direction: people and units of the registering organization's subtree (grouped)."""
    units = org_selectors.readable(actor).filter(tree.subtree_q([document.organization.path]), valid_to__isnull=True)
    members = (
        people_selectors.readable(actor)
        .filter(memberships__organization__in=units, memberships__valid_to__isnull=True, is_active=True)
        .distinct()
        .order_by("sort_key")[:500]
    )
    return [
        (_("People"), [(f"p:{p.pk}", p.full_name) for p in members]),
        (_("Units"), [(f"o:{o.pk}", o.name) for o in units.order_by("path")[:200]]),
    ]


def resolve_assignee(actor: Actor, value: str) -> tuple[Person | None, Organization | None]:
    """(person, organization) for a choice value "p:12" or "o:34", within the actor's scope."""
    kind, _sep, raw = value.partition(":")
    if not raw.isdigit():
        return None, None
    if kind == "p":
        return people_selectors.readable(actor).filter(pk=int(raw)).first(), None
    if kind == "o":
        return None, org_selectors.readable(actor).filter(pk=int(raw)).first()
    return None, None


def unit_members(actor: Actor, unit: Organization) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for re-assignment inside ``unit``: its current people."""
    members = (
        people_selectors.readable(actor)
        .filter(
            memberships__organization__in=org_selectors.readable(actor).filter(tree.subtree_q([unit.path])),
            memberships__valid_to__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("sort_key")[:500]
    )
    return [(_("People"), [(f"p:{p.pk}", p.full_name) for p in members])]


def involved(actor: Actor, document: IncomingDocument) -> bool:
    return Assignment.objects.filter(document=document, person=actor.principal).exists()


def pending_extensions(document: IncomingDocument) -> QuerySet[DeadlineExtension]:
    """Requests for more time on a document the caller may already read."""
    return DeadlineExtension.objects.filter(
        assignment__document=document, decision=ExtensionDecision.PENDING
    ).select_related("assignment", "assignment__person", "assignment__organization")


def get_decidable_extension(actor: Actor, pk: object) -> DeadlineExtension:
    scoped = DeadlineExtension.objects.filter(
        assignment__document__in=incoming_selectors.readable(actor)
    ).select_related("assignment", "assignment__document", "assignment__document__organization")
    return scoped_get(scoped, pk, action="assignment.decide_extension", by=actor)


def deadline_overview(actor: Actor, today: datetime.date) -> dict[str, list[dict[str, object]]]:
    """Open work in the organizations the actor leads: counts per assignee person and per assignee unit."""
    paths = [g.path for g in actor.grants if g.role == Role.LEADER]
    open_work = Assignment.objects.filter(
        tree.subtree_q(paths, field="document__organization__path"), status=AssignmentStatus.PENDING
    )
    soon = today + datetime.timedelta(days=3)
    counts = {
        "open": Count("id"),
        "overdue": Count("id", filter=Q(due_on__lt=today)),
        "due_soon": Count("id", filter=Q(due_on__gte=today, due_on__lte=soon)),
    }
    people = (
        open_work.filter(person__isnull=False)
        .values("person_id", "person__full_name")
        .annotate(**counts)
        .order_by("-overdue", "-due_soon", "person__sort_key")[:200]
    )
    units = (
        open_work.filter(organization__isnull=False)
        .values("organization_id", "organization__name")
        .annotate(**counts)
        .order_by("-overdue", "-due_soon", "organization__path")[:200]
    )
    return {"people": list(people), "units": list(units)}

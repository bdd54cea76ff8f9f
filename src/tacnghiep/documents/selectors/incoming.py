from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tacnghiep.core.access import scoped_get
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.documents.models import Assignment, IncomingDocument


def readable(actor: Actor) -> QuerySet[IncomingDocument]:
    """Incoming documents of organizations where the actor is a clerk or a leader.

    Also every document assigned to the actor's principal in person, or to a
    unit the principal leads. (Secret-document grants come with secrecy.)
    """
    paths = [g.path for g in actor.grants if g.role in {Role.CLERK, Role.LEADER}]
    led = [g.organization_id for g in actor.grants if g.role == Role.LEADER]
    assigned = Assignment.objects.filter(
        Q(person=actor.principal) | Q(organization_id__in=led), document=OuterRef("pk")
    )
    return IncomingDocument.objects.filter(
        tree.subtree_q(paths, field="organization__path") | Exists(assigned)
    ).select_related("register", "document_type", "urgency", "secrecy")


def get(actor: Actor, pk: object) -> IncomingDocument:
    return scoped_get(readable(actor), pk, action="incoming.view", by=actor)

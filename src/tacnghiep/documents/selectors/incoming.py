from __future__ import annotations

from django.db.models import QuerySet

from tacnghiep.core.access import scoped_get
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.documents.models import IncomingDocument


def readable(actor: Actor) -> QuerySet[IncomingDocument]:
    """Incoming documents of organizations where the actor is a clerk or a leader.

    (Assignees, their delegates and secret-document grants widen this in the
    processing workflow.)
    """
    paths = [g.path for g in actor.grants if g.role in {Role.CLERK, Role.LEADER}]
    return IncomingDocument.objects.filter(tree.subtree_q(paths, field="organization__path")).select_related(
        "register", "document_type", "urgency", "secrecy"
    )


def get(actor: Actor, pk: object) -> IncomingDocument:
    return scoped_get(readable(actor), pk, action="incoming.view", by=actor)

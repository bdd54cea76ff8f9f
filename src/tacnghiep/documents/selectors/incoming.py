from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tacnghiep.core import audit
from tacnghiep.core.access import scoped_get
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.documents.models import Assignment, IncomingDocument, SecretGrant


def readable(actor: Actor) -> QuerySet[IncomingDocument]:
    """Incoming documents the actor may read.

    Ordinary documents: those of organizations (and their subtrees) where the
    actor is a clerk or a leader, and every document assigned to the actor's
    principal in person or to a unit the principal leads. Secret documents
    (``is_secret``) are hidden from the role rule: only the clerk who
    registered it, the leaders of the registering organization itself, the
    assignees and people holding a :class:`SecretGrant` read them. Delegates
    read what their principal reads.
    """
    principal = actor.principal
    paths = [g.path for g in actor.grants if g.role in {Role.CLERK, Role.LEADER}]
    led = [g.organization_id for g in actor.grants if g.role == Role.LEADER]
    assigned = Assignment.objects.filter(Q(person=principal) | Q(organization_id__in=led), document=OuterRef("pk"))
    granted = SecretGrant.objects.filter(incoming=OuterRef("pk"), person=principal)
    by_role = tree.subtree_q(paths, field="organization__path") & Q(is_secret=False)
    secret_rule = Q(is_secret=True) & (Q(registered_by=principal) | Q(organization_id__in=led) | Exists(granted))
    return IncomingDocument.objects.filter(by_role | Exists(assigned) | secret_rule).select_related(
        "register", "document_type", "urgency", "secrecy"
    )


def get(actor: Actor, pk: object) -> IncomingDocument:
    """One readable document; reading a secret one leaves an audit record."""
    document = scoped_get(readable(actor), pk, action="incoming.view", by=actor)
    if document.is_secret:
        audit.record("incoming.read_secret", by=actor, organization=document.organization, obj=document)
    return document

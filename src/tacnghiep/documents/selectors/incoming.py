from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tacnghiep.core import audit
from tacnghiep.core.access import scoped_get
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, Role
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
    # The subtree as a list of organization ids, not a join: with a join, SQLite's planner walks the
    # organizations first and sorts every matching document, which at a million documents takes minutes.
    in_subtree = Q(organization_id__in=Organization.objects.filter(tree.subtree_q(paths)).values("id"))
    led = [g.organization_id for g in actor.grants if g.role == Role.LEADER]
    if not paths:
        # Someone who reads only what is theirs: look it up from the assignments and grants (a handful)
        # rather than test every document of the table.
        mine = Assignment.objects.filter(person=principal).values("document_id")
        granted_ids = SecretGrant.objects.filter(person=principal, incoming__isnull=False).values("incoming_id")
        return IncomingDocument.objects.filter(Q(pk__in=mine) | Q(pk__in=granted_ids))
    assigned = Assignment.objects.filter(Q(person=principal) | Q(organization_id__in=led), document=OuterRef("pk"))
    granted = SecretGrant.objects.filter(incoming=OuterRef("pk"), person=principal)
    by_role = in_subtree & Q(is_secret=False)
    secret_rule = Q(is_secret=True) & (Q(registered_by=principal) | Q(organization_id__in=led) | Exists(granted))
    return IncomingDocument.objects.filter(by_role | Exists(assigned) | secret_rule)


def with_details(documents: QuerySet[IncomingDocument]) -> QuerySet[IncomingDocument]:
    """What pages show with each document, fetched with it."""
    return documents.select_related("register", "document_type", "urgency", "secrecy")


def page(filtered: QuerySet[IncomingDocument], size: int) -> list[IncomingDocument]:
    """Newest first, ``size`` of them: ids by the index alone first, then the rows with their details."""
    ids = list(filtered.order_by("-id").values_list("id", flat=True)[:size])
    rows = with_details(IncomingDocument.objects.filter(pk__in=ids)).in_bulk(ids)
    return [rows[i] for i in ids]


def get(actor: Actor, pk: object) -> IncomingDocument:
    """One readable document; reading a secret one leaves an audit record."""
    document = scoped_get(with_details(readable(actor)), pk, action="incoming.view", by=actor)
    if document.is_secret:
        audit.record("incoming.read_secret", by=actor, organization=document.organization, obj=document)
    return document

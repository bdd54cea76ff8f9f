"""What a person may see of the exchange: packages for the organizations where they are a clerk."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tacnghiep.core.access import scoped_get
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.exchange.models import InboundPackage, InboxState


def _clerk_scope(actor: Actor) -> QuerySet[InboundPackage]:
    paths = [g.path for g in actor.grants if g.role == Role.CLERK]
    return InboundPackage.objects.filter(tree.subtree_q(paths, field="organization__path"), message_type="edoc")


def waiting(actor: Actor) -> QuerySet[InboundPackage]:
    """Received over the exchange, not yet registered or refused; and those whose issuer asks for them back."""
    return (
        _clerk_scope(actor)
        .filter(Q(state=InboxState.WAITING) | (~Q(recall_reason="") & Q(recall_answer="")))
        .select_related("organization")
        .order_by("received_at", "id")
    )


def recent(actor: Actor, limit: int = 50) -> QuerySet[InboundPackage]:
    return _clerk_scope(actor).exclude(state=InboxState.WAITING).select_related("organization", "incoming")[:limit]


def get_inbound(actor: Actor, pk: object) -> InboundPackage:
    return scoped_get(
        _clerk_scope(actor).select_related("organization", "incoming", "supersedes"),
        pk,
        action="exchange.view",
        by=actor,
    )

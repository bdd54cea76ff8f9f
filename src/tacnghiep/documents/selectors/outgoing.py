from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tacnghiep.core import audit
from tacnghiep.core.access import scoped_get
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, Role
from tacnghiep.documents.models import (
    DeliveryState,
    Direction,
    DocumentEvent,
    DraftVersion,
    OutgoingDocument,
    OutgoingStatus,
    Recipient,
    Register,
    ReviewDecision,
    ReviewStep,
    ReviewVerdict,
    SecretGrant,
    StepState,
)

PUBLISHED = [OutgoingStatus.ISSUED, OutgoingStatus.REVOKED, OutgoingStatus.REPLACED]


def readable(actor: Actor) -> QuerySet[OutgoingDocument]:
    """Outgoing documents the actor may read.

    The drafter, the signer and every reviewer named in a chain; clerks and
    leaders of the issuing organization (and above it); after issue, clerks
    and leaders of the recipient organizations. Secret documents only to the
    drafter, signer, reviewers, leaders of the issuing organization itself
    and people holding a grant.
    """
    principal = actor.principal
    paths = [g.path for g in actor.grants if g.role in {Role.CLERK, Role.LEADER}]
    led = [g.organization_id for g in actor.grants if g.role == Role.LEADER]
    reviewer = ReviewDecision.objects.filter(step__document=OuterRef("pk"), reviewer=principal)
    # Subtrees as lists of organization ids rather than joins (see selectors.incoming.readable).
    in_subtree = Organization.objects.filter(tree.subtree_q(paths)).values("id")
    recipient = Recipient.objects.filter(organization_id__in=in_subtree, document=OuterRef("pk"))
    granted = SecretGrant.objects.filter(outgoing=OuterRef("pk"), person=principal)
    personal = Q(drafted_by=principal) | Q(signer=principal) | Exists(reviewer)
    by_role = Q(is_secret=False) & (Q(organization_id__in=in_subtree) | (Q(status__in=PUBLISHED) & Exists(recipient)))
    secret_rule = Q(is_secret=True) & (Q(organization_id__in=led) | Exists(granted))
    return OutgoingDocument.objects.filter(personal | by_role | secret_rule)


def with_details(documents: QuerySet[OutgoingDocument]) -> QuerySet[OutgoingDocument]:
    return documents.select_related("organization", "document_type", "urgency", "secrecy", "drafted_by", "signer")


def page(filtered: QuerySet[OutgoingDocument], size: int) -> list[OutgoingDocument]:
    """Newest first: the page's ids without any join, then the rows with their details.

    (Ordering the joined query by id with a LIMIT let PostgreSQL pick plans that
    ran for minutes in the test suite.)
    """
    ids = list(filtered.order_by("-id").values_list("id", flat=True)[:size])
    rows = with_details(OutgoingDocument.objects.filter(pk__in=ids)).in_bulk(ids)
    return [rows[i] for i in ids]


def get(actor: Actor, pk: object) -> OutgoingDocument:
    document = scoped_get(with_details(readable(actor)), pk, action="outgoing.view", by=actor)
    if document.is_secret:
        audit.record("outgoing.read_secret", by=actor, organization=document.organization, obj=document)
    return document


def versions(document: OutgoingDocument) -> QuerySet[DraftVersion]:
    return (
        DraftVersion.objects.filter(document=document).select_related("created_by").prefetch_related("comments__author")
    )


def chain(document: OutgoingDocument) -> QuerySet[ReviewStep]:
    """The review steps of the latest submission, with their reviewers."""
    latest = ReviewStep.objects.filter(document=document).order_by("-round").values("round")[:1]
    return (
        ReviewStep.objects.filter(document=document, round__in=latest)
        .prefetch_related("decisions__reviewer")
        .order_by("position")
    )


def history(document: OutgoingDocument) -> QuerySet[DocumentEvent]:
    return DocumentEvent.objects.filter(outgoing=document).select_related("actor", "acting_for")


def my_reviews(actor: Actor) -> QuerySet[ReviewDecision]:
    """Drafts waiting for the actor's (or their principal's) review, oldest first."""
    return (
        ReviewDecision.objects.filter(
            reviewer=actor.principal, verdict=ReviewVerdict.PENDING, step__state=StepState.ACTIVE
        )
        .select_related("step__document", "step__document__urgency", "step__document__document_type")
        .order_by("-step__document__urgency__sort_order", "step_id")
    )


def to_issue(actor: Actor) -> list[OutgoingDocument]:
    """Approved documents waiting for a clerk of the issuing organization to number and issue them."""
    paths = [g.path for g in actor.grants if g.role == Role.CLERK]
    in_subtree = Organization.objects.filter(tree.subtree_q(paths)).values("id")
    return page(readable(actor).filter(organization_id__in=in_subtree, status=OutgoingStatus.APPROVED), 50)


def waiting_deliveries(actor: Actor) -> QuerySet[Recipient]:
    """Documents delivered electronically to organizations where the actor is a clerk, not yet registered."""
    paths = [g.path for g in actor.grants if g.role == Role.CLERK]
    return (
        Recipient.objects.filter(tree.subtree_q(paths, field="organization__path"), state=DeliveryState.WAITING)
        .select_related("document", "document__organization", "document__urgency", "organization")
        .order_by("-document__urgency__sort_order", "state_changed_at", "id")
    )


def get_waiting_delivery(actor: Actor, pk: object) -> Recipient:
    return scoped_get(waiting_deliveries(actor), pk, action="delivery.view", by=actor)


def recipients_of(document: OutgoingDocument) -> QuerySet[Recipient]:
    return Recipient.objects.filter(document=document).select_related("organization", "incoming")


def colleagues(actor: Actor, organization: Organization) -> list[tuple[str, str]]:
    """People currently working in ``organization`` or below it, as choices (reviewers, forwarding)."""
    from tacnghiep.directory.selectors import people as people_selectors

    members = (
        people_selectors.readable(actor)
        .filter(
            memberships__organization__path__gte=organization.path,
            memberships__organization__path__lt=organization.path + tree.SENTINEL,
            memberships__valid_to__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("sort_key")[:500]
    )
    return [(str(p.pk), p.full_name) for p in members]


def signers(organization: Organization) -> list[tuple[str, str]]:
    from tacnghiep.directory.selectors import roles as role_selectors

    return [(str(p.pk), p.full_name) for p in role_selectors.holders(Role.LEADER, organization)]


def issuing_registers(actor: Actor, document: OutgoingDocument) -> QuerySet[Register]:
    """Registers a clerk of the issuing organization numbers this document in."""
    if not actor.has_role(Role.CLERK, document.organization):
        return Register.objects.none()
    return Register.objects.filter(
        organization=document.organization, direction__in=[Direction.OUTGOING, Direction.INTERNAL], is_active=True
    )


def recipient_choices(actor: Actor) -> QuerySet[Organization]:
    """Organizations of the directory that can receive electronically: those with an incoming register."""
    return (
        Organization.objects.filter(
            valid_to__isnull=True,
            registers__direction=Direction.INCOMING,
            registers__is_active=True,
        )
        .distinct()
        .order_by("path")
    )

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tacnghiep.core.access import scoped_get
from tacnghiep.core.text import fold_tokens
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, RoleGrant, Succession


def readable(actor: Actor) -> QuerySet[Organization]:
    return Organization.objects.filter(tree.subtree_q(actor.read_roots)).select_related("kind")


def administrable(actor: Actor) -> QuerySet[Organization]:
    return Organization.objects.filter(tree.subtree_q(actor.admin_roots)).select_related("kind")


def get(actor: Actor, pk: object) -> Organization:
    return scoped_get(readable(actor).select_related("parent"), pk, action="organization.view", by=actor)


def get_administrable(actor: Actor, pk: object) -> Organization:
    return scoped_get(administrable(actor).select_related("parent"), pk, action="organization.change", by=actor)


def _with_child_counts(qs: QuerySet[Organization], include_ended: bool) -> QuerySet[Organization]:
    child_filter = Q() if include_ended else Q(children__valid_to__isnull=True)
    return qs.annotate(child_count=Count("children", filter=child_filter)).order_by("sort_order", "name")


def roots(actor: Actor, *, include_ended: bool = False) -> QuerySet[Organization]:
    """Top nodes of the tree as this actor sees it."""
    if actor.is_system_admin:
        qs = Organization.objects.filter(parent__isnull=True)
    else:
        qs = Organization.objects.filter(path__in=actor.read_roots)
    if not include_ended:
        qs = qs.filter(valid_to__isnull=True)
    return _with_child_counts(qs.select_related("kind"), include_ended)


def children(actor: Actor, parent: Organization, *, include_ended: bool = False) -> QuerySet[Organization]:
    qs = readable(actor).filter(parent=parent)
    if not include_ended:
        qs = qs.filter(valid_to__isnull=True)
    return _with_child_counts(qs, include_ended)


def ancestors(organization: Organization) -> list[Organization]:
    """Ancestors from the root down; names only are shown, so no scope check is needed."""
    ids = tree.ancestor_ids(organization.path)[:-1]
    by_id = Organization.objects.only("id", "name", "short_name", "path").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def successions(organization: Organization) -> tuple[QuerySet[Succession], QuerySet[Succession]]:
    before = Succession.objects.filter(successor=organization).select_related("predecessor")
    after = Succession.objects.filter(predecessor=organization).select_related("successor")
    return before, after


def search(actor: Actor, query: str, *, include_ended: bool = False, limit: int = 50) -> QuerySet[Organization]:
    qs = readable(actor)
    for token in fold_tokens(query):
        qs = qs.filter(search_text__contains=token)
    if not include_ended:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("path")[:limit]


def current_grants(actor: Actor, organization: Organization) -> QuerySet[RoleGrant]:
    """Role grants at ``organization``; only its administrators see them."""
    if not actor.can_admin_path(organization.path):
        return RoleGrant.objects.none()
    return (
        RoleGrant.objects.filter(organization=organization, valid_to__isnull=True)
        .select_related("person")
        .order_by("role", "person__sort_key")
    )


def administered_roots(actor: Actor) -> QuerySet[Organization]:
    """The top organizations of the subtrees this actor administers."""
    if actor.is_system_admin:
        return Organization.objects.filter(parent__isnull=True, valid_to__isnull=True)
    return Organization.objects.filter(path__in=actor.admin_roots)

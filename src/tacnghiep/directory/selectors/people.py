from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from tacnghiep.core.access import scoped_get
from tacnghiep.core.text import fold_tokens
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor, current_q
from tacnghiep.directory.models import Membership, Organization, Person, RoleGrant
from tacnghiep.directory.selectors import organizations as org_selectors


def _memberships_in(roots: list[str], actor: Actor) -> QuerySet[Membership]:
    return Membership.objects.filter(
        current_q(actor.on), tree.subtree_q(roots, field="organization__path"), person=OuterRef("pk")
    )


def readable(actor: Actor) -> QuerySet[Person]:
    """People with a current position inside the actor's readable subtrees."""
    if actor.is_system_admin:
        return Person.objects.all()
    return Person.objects.filter(Exists(_memberships_in(actor.read_roots, actor)))


def get(actor: Actor, pk: object) -> Person:
    return scoped_get(readable(actor), pk, action="person.view", by=actor)


def current_memberships(actor: Actor, person: Person) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(current_q(actor.on), person=person)
        .filter(tree.subtree_q(actor.read_roots, field="organization__path"))
        .select_related("organization", "position")
        .order_by("-is_primary", "organization__path")
    )


def role_grants(actor: Actor, person: Person) -> QuerySet[RoleGrant]:
    return (
        RoleGrant.objects.filter(current_q(actor.on), person=person)
        .filter(tree.subtree_q(actor.read_roots, field="organization__path"))
        .select_related("organization")
    )


def can_administer(actor: Actor, person: Person) -> bool:
    """A unit administrator changes a person only if every current position is inside their subtree.

    A person who also holds a position elsewhere is shared and is left to the
    administrator above both units.
    """
    if actor.is_system_admin:
        return True
    if not actor.admin_roots:
        return False
    paths = list(
        Membership.objects.filter(current_q(actor.on), person=person).values_list("organization__path", flat=True)
    )
    return bool(paths) and all(actor.can_admin_path(path) for path in paths)


def administrable(actor: Actor) -> QuerySet[Person]:
    if actor.is_system_admin:
        return Person.objects.all()
    inside = _memberships_in(actor.admin_roots, actor)
    outside = Membership.objects.filter(current_q(actor.on), person=OuterRef("pk")).exclude(
        tree.subtree_q(actor.admin_roots, field="organization__path")
    )
    return Person.objects.filter(Exists(inside), ~Exists(outside))


def get_administrable(actor: Actor, pk: object) -> Person:
    return scoped_get(administrable(actor), pk, action="person.change", by=actor)


@dataclass(frozen=True)
class Page:
    items: Sequence[Person]
    next_cursor: str | None


def search(
    actor: Actor,
    query: str = "",
    *,
    organization: Organization | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> Page:
    """Find people by folded name, username, e-mail or phone; keyset-paginated by sort key.

    No COUNT is run: a page knows only whether there is a next one.
    """
    if organization is not None:
        # Members of one organization: driven by the membership index. Holding a current
        # position in an organization the actor may read makes a person readable.
        if not actor.can_read_path(organization.path):
            return Page(items=[], next_cursor=None)
        members = Membership.objects.filter(current_q(actor.on), organization=organization).values("person_id")
        qs = Person.objects.filter(pk__in=members)
    else:
        qs = readable(actor)
    for token in fold_tokens(query):
        qs = qs.filter(search_text__contains=token)
    if cursor:
        sort_key, _sep, last_id = cursor.rpartition("|")
        if last_id.isdigit():
            qs = qs.filter(Q(sort_key__gt=sort_key) | Q(sort_key=sort_key, id__gt=int(last_id)))
    rows = list(with_current_memberships(actor, qs.order_by("sort_key", "id"))[: limit + 1])
    more = len(rows) > limit
    items = rows[:limit]
    next_cursor = f"{items[-1].sort_key}|{items[-1].id}" if more and items else None
    return Page(items=items, next_cursor=next_cursor)


def get_administrable_membership(actor: Actor, pk: object) -> Membership:
    """A position in an organization the actor administers."""
    scoped = Membership.objects.filter(organization__in=org_selectors.administrable(actor))
    return scoped_get(scoped.select_related("organization"), pk, action="membership.end", by=actor)


def get_administrable_grant(actor: Actor, pk: object) -> RoleGrant:
    """A role granted at an organization the actor administers."""
    scoped = RoleGrant.objects.filter(organization__in=org_selectors.administrable(actor))
    return scoped_get(scoped.select_related("organization"), pk, action="role.revoke", by=actor)


def by_username(actor: Actor, username: str) -> Person | None:
    """A person the actor may read, by exact username (for forms that name a person)."""
    return readable(actor).filter(username=username.strip()).first()


def with_current_memberships(actor: Actor, people: QuerySet[Person]) -> QuerySet[Person]:
    """Attach ``current_memberships`` (primary first) to each person, in one extra query."""
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(current_q(actor.on))
            .select_related("organization", "position")
            .order_by("-is_primary", "sort_order"),
            to_attr="current_memberships",
        )
    )


def chosen(actor: Actor, ids: list[str]) -> list[Person]:
    """People picked in a form by id, in the order picked, keeping only those the actor may read."""
    found = {str(p.pk): p for p in readable(actor).filter(pk__in=[i for i in ids if i.isdigit()])}
    return [found[i] for i in ids if i in found]

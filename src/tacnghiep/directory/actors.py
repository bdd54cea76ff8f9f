"""Who is asking: the signed-in person, whom they act for, and what they may reach.

Every selector and service takes an :class:`Actor`. Its scope is computed once
per request from the person's current memberships and role grants.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from tacnghiep.directory import tree
from tacnghiep.directory.models import ADMIN_ROLES, Membership, Organization, Person, Role, RoleGrant, Succession


def current_q(on: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


@dataclass(frozen=True)
class Grant:
    role: str
    organization_id: int
    path: str


@dataclass
class Actor:
    person: Person
    acting_for: Person | None = None
    on: datetime.date = field(default_factory=lambda: timezone.localdate())

    @property
    def principal(self) -> Person:
        """Whose work is being done: the delegator when acting for someone."""
        return self.acting_for or self.person

    @cached_property
    def own_grants(self) -> tuple[Grant, ...]:
        return _grants(self.person, self.on)

    @cached_property
    def delegated_grants(self) -> tuple[Grant, ...]:
        # Administration is never delegated: a delegate does the delegator's work, not their admin.
        if self.acting_for is None:
            return ()
        return tuple(g for g in _grants(self.acting_for, self.on) if g.role not in ADMIN_ROLES)

    @property
    def grants(self) -> tuple[Grant, ...]:
        return self.own_grants + self.delegated_grants

    @cached_property
    def is_system_admin(self) -> bool:
        return any(g.role == Role.SYSTEM_ADMIN for g in self.own_grants)

    @cached_property
    def admin_roots(self) -> list[str]:
        """Subtrees this actor administers (all of them for a system administrator)."""
        if self.is_system_admin:
            return [""]
        return tree.minimal_roots(g.path for g in self.own_grants if g.role == Role.UNIT_ADMIN)

    @property
    def is_admin(self) -> bool:
        return bool(self.admin_roots)

    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def has_role(self, role: str, organization: Organization | None = None) -> bool:
        return any(
            g.role == role and (organization is None or organization.path.startswith(g.path)) for g in self.grants
        )

    @cached_property
    def membership_paths(self) -> list[str]:
        people = [self.person] + ([self.acting_for] if self.acting_for else [])
        return list(
            Membership.objects.filter(current_q(self.on), person__in=people).values_list(
                "organization__path", flat=True
            )
        )

    @cached_property
    def read_roots(self) -> list[str]:
        """Subtrees whose directory data this actor may read.

        Each membership or grant opens the subtree of its nearest enclosing
        scope boundary (a commune committee, the provincial committee, …).
        """
        if self.is_system_admin:
            return [""]
        paths = set(self.membership_paths) | {g.path for g in self.grants}
        roots = tree.minimal_roots(_boundary_paths(paths) + self.admin_roots)
        # Ended predecessors (merged or split units) stay readable for their old records.
        return tree.minimal_roots(roots + _predecessor_paths(roots))

    def can_read_path(self, path: str) -> bool:
        return tree.within(path, self.read_roots)

    def can_admin_path(self, path: str) -> bool:
        return tree.within(path, self.admin_roots)

    @property
    def label(self) -> str:
        if self.acting_for:
            return f"{self.person.full_name} thay {self.acting_for.full_name}"
        return self.person.full_name


def _grants(person: Person, on: datetime.date) -> tuple[Grant, ...]:
    rows = (
        RoleGrant.objects.filter(current_q(on), person=person)
        .filter(Q(organization__valid_to__isnull=True) | Q(organization__valid_to__gte=on))
        .values_list("role", "organization_id", "organization__path")
    )
    return tuple(Grant(role, org_id, path) for role, org_id, path in rows)


def _predecessor_paths(roots: list[str], generations: int = 2) -> list[str]:
    found: list[str] = []
    current = roots
    for _generation in range(generations):
        if not current:
            break
        current = list(
            Succession.objects.filter(successor__path__in=current).values_list("predecessor__path", flat=True)
        )
        found.extend(current)
    return found


def _boundary_paths(paths: set[str]) -> list[str]:
    """For each path, the path of its deepest ancestor-or-self that is a scope boundary."""
    if not paths:
        return []
    ids = {pk for path in paths for pk in tree.ancestor_ids(path)}
    boundaries = dict(Organization.objects.filter(pk__in=ids, kind__is_scope_boundary=True).values_list("id", "path"))
    result = []
    for path in paths:
        chain = tree.ancestor_ids(path)
        boundary = next((boundaries[pk] for pk in reversed(chain) if pk in boundaries), path)
        result.append(boundary)
    return result

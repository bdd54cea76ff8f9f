from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tacnghiep.core.web import actor_view
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Person, Role
from tacnghiep.directory.selectors import organizations as org_selectors
from tacnghiep.directory.selectors import people as people_selectors


@actor_view
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Each role sees what it does first: administrators their units, others their colleagues."""
    memberships = list(people_selectors.current_memberships(actor, actor.person))
    primary = memberships[0].organization if memberships else None
    roles = actor.roles()
    colleagues: Sequence[Person] = []
    if primary is not None:
        colleagues = people_selectors.search(actor, organization=primary, limit=12).items
    context = {
        "memberships": memberships,
        "primary": primary,
        "admin_roots": org_selectors.administered_roots(actor) if actor.is_admin else [],
        "role_labels": [Role(r).label for r in sorted(roles)],
        "is_admin": actor.is_admin,
        "is_system_admin": actor.is_system_admin,
        "is_leader": Role.LEADER in roles,
        "is_clerk": Role.CLERK in roles,
        "colleagues": colleagues,
    }
    return render(request, "directory/home.html", context)

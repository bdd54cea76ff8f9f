"""Who sees which certificates: administrators their subtree's, everyone their own."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.signing.models import Certificate, TrustRoot


def visible(actor: Actor) -> QuerySet[Certificate]:
    rows = Certificate.objects.select_related("person", "organization").order_by("not_after", "id")
    if actor.is_system_admin:
        return rows
    mine = Q(person=actor.person)
    # Clerks use their organization's key and leaders answer for it: they see its certificate.
    for grant in actor.grants:
        if grant.role in (Role.CLERK, Role.LEADER):
            mine |= Q(organization__path__startswith=grant.path)
    for root in actor.admin_roots:
        mine |= Q(organization__path__startswith=root) | Q(person__memberships__organization__path__startswith=root)
    return rows.filter(mine).distinct()


def trust_roots(actor: Actor) -> QuerySet[TrustRoot]:
    return TrustRoot.objects.filter(is_active=True).order_by("name")

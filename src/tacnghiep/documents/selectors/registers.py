from __future__ import annotations

from django.db.models import QuerySet

from tacnghiep.core.access import scoped_get
from tacnghiep.directory import tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.documents.models import ImportJob, Register


def _paths(actor: Actor, roles: set[str]) -> list[str]:
    paths = [g.path for g in actor.grants if g.role in roles]
    return [""] if actor.is_system_admin else paths + list(actor.admin_roots)


def usable(actor: Actor, direction: str | None = None) -> QuerySet[Register]:
    """Registers the actor may number documents into: those of organizations where they are a clerk."""
    qs = Register.objects.filter(
        tree.subtree_q([g.path for g in actor.grants if g.role == Role.CLERK], field="organization__path"),
        is_active=True,
    )
    return qs.filter(direction=direction) if direction else qs


def readable(actor: Actor) -> QuerySet[Register]:
    """Registers of organizations where the actor is a clerk or a leader, or that they administer."""
    paths = _paths(actor, {Role.CLERK, Role.LEADER})
    return Register.objects.filter(tree.subtree_q(paths, field="organization__path")).select_related("organization")


def get(actor: Actor, pk: object) -> Register:
    return scoped_get(readable(actor), pk, action="register.view", by=actor)


def import_job(actor: Actor, pk: object) -> ImportJob:
    """An import started by the actor (or by the person they act for)."""
    return scoped_get(
        ImportJob.objects.filter(created_by__in=[actor.person, actor.principal]), pk, action="import.view", by=actor
    )


def recent_imports(actor: Actor) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(created_by__in=[actor.person, actor.principal])[:20]

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from tacnghiep.core.access import deny
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization


def require_admin_of(actor: Actor, organization: Organization | None, action: str) -> None:
    """Raise (after auditing) unless ``actor`` administers ``organization``'s subtree."""
    if organization is None:
        if not actor.is_system_admin:
            raise deny(action, by=actor)
        return
    if not actor.can_admin_path(organization.path):
        raise deny(action, by=actor, obj=organization)


def require_system_admin(actor: Actor, action: str) -> None:
    if not actor.is_system_admin:
        raise deny(action, by=actor)


__all__ = ["PermissionDenied", "require_admin_of", "require_system_admin"]

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.access import deny
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, Person, Role, RoleGrant
from tacnghiep.directory.services._common import require_admin_of


def grant_role(
    *, actor: Actor, person: Person, organization: Organization, role: str, valid_from: datetime.date | None = None
) -> RoleGrant:
    """Grant ``role`` for ``organization``'s subtree.

    Only a system administrator grants the system administrator role; a unit
    administrator grants roles inside their own subtree.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role == Role.SYSTEM_ADMIN and not actor.is_system_admin:
        raise deny("role.grant", by=actor, obj=person)
    require_admin_of(actor, organization, "role.grant")
    with transaction.atomic():
        if organization.valid_to is not None:
            raise ValidationError({"organization": _("This organization has ended.")})
        existing = RoleGrant.objects.filter(person=person, organization=organization, role=role, valid_to__isnull=True)
        if existing.exists():
            raise ValidationError(_("This person already has this role here."))
        grant = RoleGrant.objects.create(
            person=person, organization=organization, role=role, valid_from=valid_from or timezone.localdate()
        )
        audit.record(
            "role.grant", by=actor, organization=organization, obj=grant, details={"person": person.pk, "role": role}
        )
        return grant


def revoke_role(*, actor: Actor, grant: RoleGrant) -> RoleGrant:
    if grant.role == Role.SYSTEM_ADMIN and not actor.is_system_admin:
        raise deny("role.revoke", by=actor, obj=grant)
    require_admin_of(actor, grant.organization, "role.revoke")
    with transaction.atomic():
        target = RoleGrant.objects.select_for_update().select_related("organization", "person").get(pk=grant.pk)
        if target.valid_to is not None:
            raise ValidationError(_("This role has already ended."))
        if target.role == Role.SYSTEM_ADMIN and target.person_id == actor.person.pk:
            remaining = RoleGrant.objects.filter(role=Role.SYSTEM_ADMIN, valid_to__isnull=True).exclude(pk=target.pk)
            if not remaining.exists():
                raise ValidationError(_("The last system administrator cannot give up the role."))
        today = timezone.localdate()
        # Dates are whole days: a revoked grant ends yesterday, so it no longer counts today.
        # A grant that began today collapses to a day in the past; the audit log keeps the hours.
        target.valid_to = today - datetime.timedelta(days=1)
        target.valid_from = min(target.valid_from, target.valid_to)
        target.save(update_fields=["valid_from", "valid_to"])
        audit.record(
            "role.revoke", by=actor, organization=target.organization, obj=target, details={"role": target.role}
        )
        return target

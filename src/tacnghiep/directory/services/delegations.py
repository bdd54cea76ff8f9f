from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.access import deny
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Delegation, Person
from tacnghiep.directory.selectors import people as people_selectors


def create_delegation(
    *,
    actor: Actor,
    delegator: Person,
    delegate: Person,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str = "",
) -> Delegation:
    """``delegate`` may act for ``delegator`` between the two moments.

    A person delegates their own work; an administrator may record it for people they administer.
    """
    if delegator.pk != actor.person.pk and not people_selectors.can_administer(actor, delegator):
        raise deny("delegation.create", by=actor, obj=delegator)
    if not people_selectors.readable(actor).filter(pk=delegate.pk).exists():
        raise deny("delegation.create", by=actor, obj=delegate)
    with transaction.atomic():
        if delegator.pk == delegate.pk:
            raise ValidationError(_("A person cannot delegate to themselves."))
        if ends_at <= starts_at:
            raise ValidationError(_("The end must be after the start."))
        if not delegate.is_active:
            raise ValidationError(_("The delegate's account is not active."))
        delegation = Delegation.objects.create(
            delegator=delegator,
            delegate=delegate,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason.strip(),
            created_by=actor.person,
        )
        audit.record(
            "delegation.create",
            by=actor,
            obj=delegation,
            details={"delegator": delegator.pk, "delegate": delegate.pk, "starts_at": starts_at, "ends_at": ends_at},
        )
        return delegation


def revoke_delegation(*, actor: Actor, delegation: Delegation) -> Delegation:
    allowed = actor.person.pk in (delegation.delegator_id, delegation.created_by_id) or people_selectors.can_administer(
        actor, delegation.delegator
    )
    if not allowed:
        raise deny("delegation.revoke", by=actor, obj=delegation)
    with transaction.atomic():
        target = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if target.revoked_at is not None:
            raise ValidationError(_("This delegation has already been revoked."))
        target.revoked_at = timezone.now()
        target.save(update_fields=["revoked_at"])
        audit.record("delegation.revoke", by=actor, obj=target)
        return target


def active_delegation(delegate: Person, delegator_id: int) -> Delegation | None:
    now = timezone.now()
    return (
        Delegation.objects.filter(
            delegate=delegate,
            delegator_id=delegator_id,
            starts_at__lte=now,
            ends_at__gt=now,
            revoked_at__isnull=True,
            delegator__is_active=True,
        )
        .select_related("delegator")
        .first()
    )


def start_acting_for(*, actor: Actor, delegator_id: int) -> Person:
    """Check that a delegation is in force now and audit the switch; the caller keeps it in the session."""
    delegation = active_delegation(actor.person, delegator_id)
    if delegation is None:
        raise deny("delegation.act", by=actor)
    with transaction.atomic():
        audit.record("delegation.act", actor=actor.person, acting_for=delegation.delegator, obj=delegation)
    return delegation.delegator

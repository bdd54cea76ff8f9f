"""A person's own account data: only ever their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import ApiToken, Delegation, Person, SignInSession


def sessions(actor: Actor) -> QuerySet[SignInSession]:
    return SignInSession.objects.filter(person=actor.person).order_by("-created_at")


def api_tokens(actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person=actor.person)


def delegations_given(actor: Actor) -> QuerySet[Delegation]:
    return Delegation.objects.filter(delegator=actor.person).select_related("delegate")


def delegations_received(actor: Actor) -> QuerySet[Delegation]:
    """Delegations that the person may use now."""
    now = timezone.now()
    return Delegation.objects.filter(
        delegate=actor.person, revoked_at__isnull=True, starts_at__lte=now, ends_at__gt=now
    ).select_related("delegator")


def has_totp(actor: Actor) -> bool:
    return has_confirmed_device(actor.person)


def has_confirmed_device(person: Person) -> bool:
    """Used during sign-in, before there is an actor."""
    return bool(TOTPDevice.objects.filter(user=person, confirmed=True).exists())


def pending_device(person: Person, pk: object) -> TOTPDevice | None:
    """The person's own device being enrolled (not yet confirmed)."""
    if not isinstance(pk, int):
        return None
    return TOTPDevice.objects.filter(pk=pk, user=person, confirmed=False).first()

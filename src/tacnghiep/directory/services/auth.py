"""Sign-in, second factor and API tokens: the only places accounts change state on their own."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tacnghiep.core import audit
from tacnghiep.core.context import client_address_of
from tacnghiep.core.middleware import mark_signed_in
from tacnghiep.core.models import AuditOutcome
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import ApiToken, Person, SignInSession
from tacnghiep.directory.selectors.roles import requires_second_factor
from tacnghiep.directory.services import sessions

TOKEN_PREFIX = "tn_"  # noqa: S105 - a public marker, not a secret


def record_failed_sign_in(*, username: str, reason: str) -> None:
    with transaction.atomic():
        person = Person.objects.filter(username=username).first()
        audit.record(
            "auth.sign_in",
            actor=person,
            outcome=AuditOutcome.FAILURE,
            object_type="directory.person",
            object_id=str(person.pk) if person else "",
            object_repr=username[:150],
            details={"reason": reason},
        )


@transaction.atomic
def complete_password_step(request: HttpRequest, person: Person) -> None:
    """Password accepted: start the session (a new key) and record it."""
    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    mark_signed_in(request)
    request.session.save()
    SignInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "person": person,
            "client_address": client_address_of(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    audit.record("auth.sign_in", actor=person, obj=person, details={"step": "password"})


@transaction.atomic
def verify_second_factor(request: HttpRequest, person: Person, token: str) -> bool:
    """Check a TOTP code against the person's confirmed devices; a used code never works twice."""
    for device in TOTPDevice.objects.devices_for_user(person, confirmed=True):
        if device.verify_token(token.strip()):
            otp_login(request, device)
            audit.record("auth.second_factor", actor=person, obj=person)
            return True
    audit.record("auth.second_factor", actor=person, obj=person, outcome=AuditOutcome.FAILURE)
    return False


@transaction.atomic
def start_totp_enrollment(person: Person) -> TOTPDevice:
    """A new unconfirmed device; it counts only after the person proves it with a code."""
    TOTPDevice.objects.filter(user=person, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=person, name=_("Authenticator app"), confirmed=False)
    audit.record("auth.totp_enroll_start", actor=person, obj=person)
    return device


@transaction.atomic
def confirm_totp_enrollment(request: HttpRequest, person: Person, device_id: int, token: str) -> bool:
    device = TOTPDevice.objects.filter(user=person, pk=device_id, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        audit.record("auth.totp_enroll", actor=person, obj=person, outcome=AuditOutcome.FAILURE)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=person, confirmed=True).exclude(pk=device.pk).delete()
    otp_login(request, device)
    audit.record("auth.totp_enroll", actor=person, obj=person)
    return True


@transaction.atomic
def sign_out(request: HttpRequest) -> None:
    person = request.user if request.user.is_authenticated else None
    key = request.session.session_key
    if person is not None:
        SignInSession.objects.filter(session_key=key).delete()
        audit.record("auth.sign_out", actor=person, obj=person)  # type: ignore[arg-type]
    logout(request)


@transaction.atomic
def sign_out_everywhere(*, actor: Actor, current_session_key: str | None) -> int:
    ended = sessions.end_all(actor.person, except_key=current_session_key)
    audit.record("auth.sign_out_others", by=actor, obj=actor.person, details={"sessions": ended})
    return ended


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(
    *, actor: Actor, name: str, days: int | None = 90, second_factor: bool = False
) -> tuple[ApiToken, str]:
    """Create a token for the actor; the key is returned once and only its hash is stored.

    Callers must only offer this to a session that passed the second factor
    (the web view sits behind SecondFactorMiddleware), so a token never
    bypasses it.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if days is not None and not 1 <= days <= 366:
        raise ValidationError({"days": _("A token lasts between 1 and 366 days.")})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=actor.person,
        name=name[:100],
        prefix=key[:12],
        key_hash=_hash(key),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
        second_factor=second_factor,
    )
    audit.record("api_token.create", by=actor, obj=token)
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    target = ApiToken.objects.select_for_update().get(pk=token.pk, person=actor.person)
    if target.revoked_at is None:
        target.revoked_at = timezone.now()
        target.save(update_fields=["revoked_at"])
        audit.record("api_token.revoke", by=actor, obj=target)
    return target


def authenticate_api_token(key: str) -> ApiToken | None:
    """The token for ``key`` if it is valid now (a read; last-use is refreshed at most hourly)."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.second_factor and requires_second_factor(token.person):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def complete_password_reset(person: Person, password: str) -> None:
    """The person proved control of their e-mail: set the password and end every session."""
    person.set_password(password)
    person.save(update_fields=["password"])
    sessions.end_all(person, except_key=None)
    audit.record("auth.password_reset", actor=person, obj=person)

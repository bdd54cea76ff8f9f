"""Ending sign-in sessions and tokens. Called inside the callers' transactions."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from tacnghiep.directory.models import ApiToken, Person, SignInSession


def end_all(person: Person, *, except_key: str | None) -> int:
    """Delete the server-side sessions of ``person`` (all but ``except_key``); returns how many."""
    rows = SignInSession.objects.filter(person=person)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    return len(keys)


def revoke_tokens(person: Person) -> int:
    now = timezone.now()
    count = ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    RefreshToken.objects.filter(user=person, revoked__isnull=True).update(revoked=now)
    count += int(AccessToken.objects.filter(user=person).delete()[0])
    return int(count)

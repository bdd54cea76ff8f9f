"""The server side of signing on the signer's own machine (the desktop signing tool and its USB token).

The national desktop signing tool signs on the user's computer: the web page
asks it (over a local websocket) to fetch a file from a URL, sign it with the
token and upload the signed PDF to another URL. This module is that server
side, independent of the tool: :func:`open_session` hands out a file under a
random single-use token, :func:`accept` takes the signed PDF back, checks it
and passes it to the workflow step that asked for it (a *purpose*, registered
by the app that owns the step). A person without the tool can do the same by
hand: download, sign, upload.

What is checked before the step happens: the upload is a PDF that passes the
bounded reader; its newest signature is intact and unchanged after signing;
the signed file is the handed-out file plus one incremental update (so the
text cannot have been swapped); and, when the registry requires it, the
certificate is registered to the person the session was opened for.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, uploads
from tacnghiep.core.models import StoredFile
from tacnghiep.directory.actors import Actor
from tacnghiep.signing.models import Certificate, DesktopSession, SessionState
from tacnghiep.signing.services.signatures import read


@dataclass(frozen=True)
class Purpose:
    """A workflow step that can take a desktop-signed file: ``complete`` runs in the accepting transaction."""

    label: str
    complete: Callable[[Actor, int, StoredFile], None]
    url: Callable[[int], str]


PURPOSES: dict[str, Purpose] = {}


def register_purpose(name: str, purpose: Purpose) -> None:
    PURPOSES[name] = purpose


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(*, actor: Actor, purpose: str, object_id: int, source: StoredFile) -> tuple[DesktopSession, str]:
    """Hand out ``source`` for signing; returns the session and the token for the tool's URLs."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        session = DesktopSession.objects.create(
            token_hash=_hash(token),
            purpose=purpose,
            object_id=object_id,
            person=actor.person,
            source=source,
            expires_at=timezone.now() + datetime.timedelta(minutes=settings.SIGNING_DESKTOP_MINUTES),
        )
        audit.record(
            "signing.desktop.open",
            by=actor,
            obj=session,
            details={"purpose": purpose, "object": object_id, "sha256": source.sha256},
        )
    return session, token


def find(token: str) -> DesktopSession | None:
    """The open, unexpired session for a token (None otherwise: the URL is dead)."""
    return (
        DesktopSession.objects.filter(token_hash=_hash(token), state=SessionState.OPEN, expires_at__gt=timezone.now())
        .select_related("source", "person")
        .first()
    )


def _newest(findings: dict[str, object]) -> dict[str, object] | None:
    signatures = findings.get("signatures") or []
    assert isinstance(signatures, list)
    return signatures[-1] if signatures else None


def accept(*, token: str, upload: uploads.Uploaded) -> DesktopSession:
    """Take the signed PDF back; the step happens in the same transaction, or nothing does."""
    session = find(token)
    if session is None:
        raise ValidationError(_("This signing link has expired or was already used; start signing again."))
    inspected = uploads.inspect(upload, {uploads.PDF})
    try:
        findings = inspected.findings or {}
        newest = _newest(findings)
        if newest is None:
            raise ValidationError(_("The file that came back is not signed."))
        if newest["status"] in ("invalid", "modified"):
            raise ValidationError(_("The signature on the file that came back is not valid."))
        original = read(session.source)
        inspected.content.seek(0)
        signed = inspected.content.read()
        if not signed.startswith(original) or len(signed) == len(original):
            raise ValidationError(_("The signed file is not the file that was handed out for signing."))
        if (
            settings.SIGNING_DESKTOP_REQUIRE_REGISTERED
            and not Certificate.objects.filter(
                sha256=newest["certificate_sha256"], person=session.person, is_active=True
            ).exists()
        ):
            raise ValidationError(
                _("The certificate used is not registered to %(name)s; ask the administrator to register it.")
                % {"name": session.person.full_name}
            )
        with transaction.atomic():
            locked = DesktopSession.objects.select_for_update().get(pk=session.pk)
            if locked.state != SessionState.OPEN:
                raise ValidationError(_("This signing link has expired or was already used; start signing again."))
            stored = uploads.store(inspected)
            actor = Actor(person=session.person)
            PURPOSES[session.purpose].complete(actor, session.object_id, stored)
            locked.state = SessionState.DONE
            locked.result = stored
            locked.completed_at = timezone.now()
            # The step's own audit record (for example outgoing.review, with the signed file's hash)
            # is the one record of this action.
            locked.save(update_fields=["state", "result", "completed_at"])
            return locked
    finally:
        inspected.content.close()

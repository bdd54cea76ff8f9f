"""Request-wide middleware: context for audit records, session policy, denial audit."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_LAST_SEEN = "tacnghiep.last_seen"
_SIGNED_IN_AT = "tacnghiep.signed_in_at"
_TOUCH_INTERVAL = timedelta(seconds=30)


class RequestContextMiddleware:
    """Give every request an id and a client address, and audit denied responses.

    A view that already wrote a denial record (through ``audit.record_denied``)
    is not recorded twice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        ctx = context.RequestContext(
            client_address=context.client_address_of(request),
            channel="api" if request.path.startswith("/api/") else "web",
        )
        if incoming and _REQUEST_ID.match(incoming) and ctx.client_address in settings.TRUSTED_PROXIES:
            ctx.request_id = incoming
        token = context.begin(ctx)
        try:
            response = self.get_response(request)
            if response.status_code == 403 and not ctx.denial_recorded:
                user = getattr(request, "user", None)
                actor = user if user is not None and user.is_authenticated else None
                audit.record_denied(
                    "access.denied",
                    actor=actor,  # type: ignore[arg-type]
                    acting_for=ctx.acting_for,
                    details={"method": request.method, "path": request.path[:300]},
                )
            response["X-Request-ID"] = ctx.request_id
            return response
        finally:
            context.end(token)


class SessionPolicyMiddleware:
    """End sessions that were idle too long or that passed their absolute lifetime.

    Ending means flushing: the server-side session row is deleted, so an old
    cookie cannot be replayed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            session = request.session
            last_seen = _parse(session.get(_LAST_SEEN))
            signed_in = _parse(session.get(_SIGNED_IN_AT))
            expired_idle = last_seen is not None and now - last_seen > settings.IDLE_TIMEOUT
            expired_total = signed_in is not None and now - signed_in > settings.SESSION_MAX_AGE
            if expired_idle or expired_total:
                audit.record(
                    "session.expired",
                    actor=user,  # type: ignore[arg-type]
                    details={"reason": "idle" if expired_idle else "lifetime"},
                )
                logout(request)
                if request.path.startswith("/api/"):
                    return HttpResponse(status=401)
                messages.info(request, _("Your session ended after a period of inactivity. Please sign in again."))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={quote(request.path)}")
            # Refresh the mark at most every 30 s: a session write on every request would
            # serialize all readers behind the database's write lock for nothing.
            if last_seen is None or now - last_seen > _TOUCH_INTERVAL:
                session[_LAST_SEEN] = now.isoformat()
            if signed_in is None:
                session[_SIGNED_IN_AT] = now.isoformat()
        return self.get_response(request)


def mark_signed_in(request: HttpRequest) -> None:
    now = timezone.now().isoformat()
    request.session[_SIGNED_IN_AT] = now
    request.session[_LAST_SEEN] = now


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None

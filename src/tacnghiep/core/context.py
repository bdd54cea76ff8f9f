"""Per-request context: request id, client address and the acting person.

Services read it when they write audit records, so that a web request, an API
call, a Celery task and a CLI command all leave the same trail.
"""

from __future__ import annotations

import ipaddress
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from tacnghiep.directory.models import Person


@dataclass
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    client_address: str = ""
    channel: str = "system"  # web, api, task, cli, system
    denial_recorded: bool = False
    person: Person | None = None
    acting_for: Person | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_current: ContextVar[RequestContext | None] = ContextVar("tacnghiep_request_context", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        ctx = RequestContext()
        _current.set(ctx)
    return ctx


def begin(ctx: RequestContext) -> object:
    return _current.set(ctx)


def end(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address_of(request: HttpRequest) -> str:
    """The client's address; X-Forwarded-For counts only when sent by a trusted proxy."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or ""
    if remote and remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The right-most address not belonging to a trusted proxy is the client.
        for candidate in reversed([part for part in forwarded.split(",") if part.strip()]):
            address = _valid_ip(candidate)
            if address is None:
                break
            if address not in settings.TRUSTED_PROXIES:
                return address
    return remote

"""Small helpers shared by every app's web views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from tacnghiep.core import uploads
from tacnghiep.core.models import StoredFile


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (or to the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def actor_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A view for signed-in people; it receives ``request.actor`` as its second argument."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(request, request.actor, *args, **kwargs)  # type: ignore[attr-defined]

    return wrapper


def run_action(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run one service call for a POST button: flash ``success``, or the service's own refusal."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


def submit(
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], object], success: str, then: str
) -> HttpResponse | None:
    """Validate ``form`` and run one service with its data.

    Returns a redirect to ``then`` after success, or None when the caller should
    render the page again with the form's (or the service's) errors on it.
    """
    if not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    messages.success(request, success)
    return redirect(then)


def file_response(stored: StoredFile, name: str, *, inline: bool) -> FileResponse:
    """A stored file for a reader who was already allowed to have it."""
    response = FileResponse(
        uploads.open_stored(stored), as_attachment=not inline, filename=name, content_type=stored.media_type
    )
    # The file is shown as what it is, never run as a page of this site.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{stored.sha256}"'
    return response


def download(data: bytes, name: str, content_type: str) -> HttpResponse:
    """Generated content (an export, a report) offered as a file to save."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response

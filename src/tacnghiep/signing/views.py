"""Pages of the signing app: the certificate registry and the desktop signing tool's two URLs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tacnghiep.core.web import actor_view, file_response
from tacnghiep.directory.actors import Actor
from tacnghiep.signing.selectors import certificates as certificate_selectors
from tacnghiep.signing.services import desktop


@actor_view
def certificate_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(
        request,
        "signing/certificates.html",
        {
            "certificates": certificate_selectors.visible(actor),
            "trust_roots": certificate_selectors.trust_roots(actor),
            "warning_days": settings.SIGNING_EXPIRY_WARNING_DAYS,
            "soon": timezone.now() + datetime.timedelta(days=settings.SIGNING_EXPIRY_WARNING_DAYS),
        },
    )


def _tool_answer(status: int, message: str, http_status: int = 200, **extra: str) -> JsonResponse:
    # The shape of the desktop tool's callback: Status 0 means success.
    return JsonResponse({"Status": status, "Message": message, **extra}, status=http_status)


@require_GET
def session_file(request: HttpRequest, token: str) -> HttpResponseBase:
    """The file handed out to the desktop tool (the token is the authorization)."""
    session = desktop.find(token)
    if session is None:
        return _tool_answer(1, _("This signing link has expired or was already used; start signing again."), 404)
    return file_response(session.source, f"ky-{session.object_id}.pdf", inline=False)


@csrf_exempt
@require_POST
def session_upload(request: HttpRequest, token: str) -> JsonResponse:
    """The desktop tool (or a person) sends the signed PDF back."""
    upload = request.FILES.get("file")
    if upload is None:
        return _tool_answer(1, _("No file was sent."), 400)
    try:
        session = desktop.accept(token=token, upload=upload)
    except ValidationError as exc:
        return _tool_answer(1, " ".join(exc.messages), 400)
    return _tool_answer(
        0, _("Signed."), FileName=upload.name or "", FileServer=session.result.sha256 if session.result else ""
    )


@actor_view
@require_http_methods(["GET", "POST"])
def session_page(request: HttpRequest, actor: Actor, token: str) -> HttpResponse:
    """The signer's page while the tool works: links for the tool, and a form to send the file by hand."""
    session = desktop.find(token)
    if session is None or session.person_id != actor.person.pk:
        messages.error(request, _("This signing link has expired or was already used; start signing again."))
        return redirect("documents:outgoing")
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose the signed PDF."))
            desktop.accept(token=token, upload=upload)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Signed and approved."))
            return redirect(desktop.PURPOSES[session.purpose].url(session.object_id))
    base = request.build_absolute_uri("/")[:-1]
    return render(
        request,
        "signing/desktop.html",
        {
            "session": session,
            "purpose": desktop.PURPOSES[session.purpose],
            "purpose_url": desktop.PURPOSES[session.purpose].url(session.object_id),
            "file_url": f"{base}/ky-so/phien/{token}/tep/",
            "upload_url": f"{base}/ky-so/phien/{token}/nhan/",
            "token": token,
        },
    )

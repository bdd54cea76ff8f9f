from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tacnghiep.core.web import safe_next
from tacnghiep.directory.forms import CodeForm, SignInForm
from tacnghiep.directory.selectors import account as account_selectors
from tacnghiep.directory.selectors.roles import requires_second_factor, second_factor_passed
from tacnghiep.directory.services import auth as auth_services

_ENROLLING = "tacnghiep.totp_device"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    home = reverse("directory:home")
    if request.user.is_authenticated and second_factor_passed(request.user):  # type: ignore[union-attr]
        return redirect(safe_next(request, home))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        # Known before trying, so that the attempt which triggers the lock counts as a wrong password.
        locked = not AxesProxyHandler.is_allowed(request, {"username": username})
        person = authenticate(request, username=username, password=form.cleaned_data["password"])
        if person is None:
            auth_services.record_failed_sign_in(username=username, reason="locked" if locked else "credentials")
            form.add_error(None, _("The username or password is not correct."))
        else:
            auth_services.complete_password_step(request, person)  # type: ignore[arg-type]
            target = safe_next(request, home)
            if requires_second_factor(person):  # type: ignore[arg-type]
                has_device = account_selectors.has_confirmed_device(person)  # type: ignore[arg-type]
                step = "directory:second_factor" if has_device else "directory:totp_enroll"
                return redirect(f"{reverse(step)}?next={target}")
            return redirect(target)
    return render(request, "directory/auth/sign_in.html", {"form": form, "next": safe_next(request, "")})


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "directory/auth/locked_out.html", {"minutes": minutes}, status=429)


@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("directory:login")
    if second_factor_passed(request.user):  # type: ignore[union-attr]
        return redirect(safe_next(request, reverse("directory:home")))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if auth_services.verify_second_factor(request, request.user, form.cleaned_data["code"]):  # type: ignore[arg-type]
            return redirect(safe_next(request, reverse("directory:home")))
        form.add_error(
            "code", _("The code is not correct or has already been used. Wait for a new code and try again.")
        )
    return render(request, "directory/auth/second_factor.html", {"form": form, "next": safe_next(request, "")})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@never_cache
def totp_enroll(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: start (POST), show the QR code, confirm with a code."""
    if not request.user.is_authenticated:
        return redirect("directory:login")
    person = request.user
    has_device = account_selectors.has_confirmed_device(person)  # type: ignore[arg-type]
    if has_device and not second_factor_passed(person):  # type: ignore[union-attr]
        # Replacing a device needs the current one first; otherwise a stolen password
        # would be enough to enroll a new device and skip the second factor.
        return redirect(f"{reverse('directory:second_factor')}?next={reverse('directory:totp_enroll')}")
    form = CodeForm()
    device = None
    device_id = request.session.get(_ENROLLING)
    if device_id:
        device = account_selectors.pending_device(person, device_id)  # type: ignore[arg-type]
    if request.method == "POST":
        if request.POST.get("action") == "start":
            device = auth_services.start_totp_enrollment(person)  # type: ignore[arg-type]
            request.session[_ENROLLING] = device.pk
        elif device is not None:
            form = CodeForm(request.POST)
            if form.is_valid() and auth_services.confirm_totp_enrollment(
                request,
                person,
                device.pk,
                form.cleaned_data["code"],  # type: ignore[arg-type]
            ):
                del request.session[_ENROLLING]
                messages.success(request, _("Two-factor sign-in is now on for your account."))
                return redirect(safe_next(request, reverse("directory:home")))
            if form.is_valid():
                form.add_error("code", _("The code does not match. Check the time on your phone and try again."))
    context: dict[str, Any] = {
        "form": form,
        "device": device,
        "required": requires_second_factor(person),  # type: ignore[arg-type]
        "next": safe_next(request, ""),
    }
    if device is not None:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "directory/auth/totp_enroll.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    auth_services.sign_out(request)
    messages.info(request, _("You have signed out."))
    return redirect("directory:login")

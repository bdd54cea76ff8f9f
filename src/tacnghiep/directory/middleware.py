"""Who is acting, and the second factor that no path may skip."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tacnghiep.core import context
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.selectors.roles import requires_second_factor, second_factor_passed
from tacnghiep.directory.services.delegations import active_delegation

ACTING_FOR = "tacnghiep.acting_for"

# Paths a signed-in person may reach before passing the second factor.
_OPEN_PREFIXES = ("/static/", "/dang-nhap/xac-thuc/", "/tai-khoan/hai-lop/", "/dang-xuat/", "/health/", "/jsi18n/")


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        actor: Actor | None = None
        if user.is_authenticated:
            acting_for = None
            delegator_id = request.session.get(ACTING_FOR)
            if isinstance(delegator_id, int):
                delegation = active_delegation(user, delegator_id)  # type: ignore[arg-type]
                if delegation is None:
                    # The delegation ended or was revoked: stop acting for that person at once.
                    del request.session[ACTING_FOR]
                else:
                    acting_for = delegation.delegator
            actor = Actor(person=user, acting_for=acting_for)  # type: ignore[arg-type]
            user._tacnghiep_actor = Actor(person=user)  # type: ignore[union-attr,attr-defined]
            ctx = context.current()
            ctx.person, ctx.acting_for = actor.person, acting_for
        request.actor = actor  # type: ignore[attr-defined]
        return self.get_response(request)


class SecondFactorMiddleware:
    """Send a signed-in person who must use TOTP, and has not yet in this session, to do so.

    It sits in front of every page, the admin site, the API's session
    authentication and the OpenID Connect authorization endpoint alike.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not second_factor_passed(user)
            and not request.path.startswith(_OPEN_PREFIXES)
            and requires_second_factor(user)  # type: ignore[arg-type]
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Two-factor verification is required.")}, status=401)
            from django_otp import devices_for_user

            has_device = any(True for _d in devices_for_user(user, confirmed=True))
            target = "directory:second_factor" if has_device else "directory:totp_enroll"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

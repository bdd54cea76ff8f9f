from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tacnghiep.core.access import scoped_get
from tacnghiep.core.web import actor_view, add_errors, run_action, safe_next
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.forms import ApiTokenForm, DelegationForm
from tacnghiep.directory.middleware import ACTING_FOR
from tacnghiep.directory.selectors import account as account_selectors
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.directory.selectors.roles import second_factor_passed
from tacnghiep.directory.services import auth as auth_services
from tacnghiep.directory.services import delegations as delegation_services
from tacnghiep.directory.services import people as people_services


@actor_view
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    context = {
        "sessions": account_selectors.sessions(actor),
        "current_key": request.session.session_key,
        "tokens": account_selectors.api_tokens(actor),
        "token_form": ApiTokenForm(),
        "delegations_given": account_selectors.delegations_given(actor),
        "delegations_received": account_selectors.delegations_received(actor),
        "delegation_form": DelegationForm(),
        "new_token": request.session.pop("tacnghiep.new_token", None),
        "has_device": account_selectors.has_totp(actor),
    }
    return render(request, "directory/account/overview.html", context)


@actor_view
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = PasswordChangeForm(actor.person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.set_password(actor=actor, person=actor.person, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            actor.person.refresh_from_db()
            update_session_auth_hash(request, actor.person)
            messages.success(request, _("Your password was changed; your other sessions have ended."))
            return redirect("directory:account")
    return render(request, "directory/account/change_password.html", {"form": form})


@actor_view
@require_POST
def sign_out_others(request: HttpRequest, actor: Actor) -> HttpResponse:
    ended = auth_services.sign_out_everywhere(actor=actor, current_session_key=request.session.session_key)
    messages.success(request, _("%(count)d other sessions were ended.") % {"count": ended})
    return redirect("directory:account")


@actor_view
@require_POST
def create_token(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, key = auth_services.create_api_token(
                actor=actor,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                second_factor=second_factor_passed(request.user),  # type: ignore[union-attr]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            request.session["tacnghiep.new_token"] = key
    else:
        messages.error(request, _("Check the form: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("directory:account")


@actor_view
@require_POST
def revoke_token(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    token = scoped_get(account_selectors.api_tokens(actor), pk, action="api_token.revoke", by=actor)
    auth_services.revoke_api_token(actor=actor, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("directory:account")


@actor_view
@require_POST
def create_delegation(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = DelegationForm(request.POST)
    if form.is_valid():
        delegate = people_selectors.by_username(actor, form.cleaned_data["delegate"])
        if delegate is None:
            messages.error(request, _("No person with this username is in your scope."))
        else:
            try:
                delegation_services.create_delegation(
                    actor=actor,
                    delegator=actor.person,
                    delegate=delegate,
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("The delegation was recorded."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Check the form: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("directory:account")


@actor_view
@require_POST
def revoke_delegation(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    delegation = scoped_get(account_selectors.delegations_given(actor), pk, action="delegation.revoke", by=actor)
    run_action(
        request,
        lambda: delegation_services.revoke_delegation(actor=actor, delegation=delegation),
        _("The delegation was revoked."),
    )
    return redirect("directory:account")


@actor_view
@require_POST
def act_for(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Start (or with an empty value, stop) acting for a delegator."""
    value = request.POST.get("delegator", "")
    if not value:
        request.session.pop(ACTING_FOR, None)
        messages.info(request, _("You are acting for yourself again."))
    elif value.isdigit():
        delegator = delegation_services.start_acting_for(actor=actor, delegator_id=int(value))
        request.session[ACTING_FOR] = delegator.pk
        messages.info(request, _("You are now acting for %(name)s.") % {"name": delegator.full_name})
    return redirect(safe_next(request, "/"))

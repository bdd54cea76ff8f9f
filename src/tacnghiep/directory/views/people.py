from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tacnghiep.core.web import actor_view, add_errors, run_action
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.forms import NewPersonForm, PersonForm, SetPasswordForm
from tacnghiep.directory.selectors import organizations as org_selectors
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.directory.services import people as people_services
from tacnghiep.directory.services import roles as role_services


@actor_view
def search(request: HttpRequest, actor: Actor) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    page = people_selectors.search(actor, query, cursor=request.GET.get("after"), limit=25)
    context = {"query": query, "people": page.items, "next_cursor": page.next_cursor}
    template = "directory/people/_results.html" if request.htmx else "directory/people/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@actor_view
def detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = people_selectors.get(actor, pk)
    context = {
        "person": person,
        "memberships": people_selectors.current_memberships(actor, person),
        "grants": people_selectors.role_grants(actor, person),
        "can_admin": people_selectors.can_administer(actor, person),
    }
    return render(request, "directory/people/detail.html", context)


@actor_view
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, actor: Actor, org_pk: int) -> HttpResponse:
    org = org_selectors.get_administrable(actor, org_pk)
    form = NewPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = people_services.create_person(
                actor=actor,
                organization=org,
                username=data.pop("username"),
                full_name=data.pop("full_name"),
                position=data.pop("position"),
                title=data.pop("title"),
                **data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The person was added."))
            return redirect("directory:person", pk=person.pk)
    return render(request, "directory/people/form.html", {"form": form, "org": org, "person": None})


@actor_view
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = people_selectors.get_administrable(actor, pk)
    initial = {field: getattr(person, field) for field in people_services.EDITABLE}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        try:
            if changes:
                people_services.update_person(actor=actor, person=person, changes=changes)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("directory:person", pk=person.pk)
    return render(request, "directory/people/form.html", {"form": form, "person": person, "org": None})


@actor_view
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = people_selectors.get_administrable(actor, pk)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.set_password(actor=actor, person=person, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc.messages)
        else:
            messages.success(request, _("The password was set; the person's sessions have ended."))
            return redirect("directory:person", pk=person.pk)
    return render(request, "directory/people/set_password.html", {"form": form, "person": person})


@actor_view
@require_POST
def deactivate(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = people_selectors.get_administrable(actor, pk)
    if person.is_active:
        run_action(
            request,
            lambda: people_services.deactivate_person(actor=actor, person=person),
            _("The account was deactivated and its sessions ended."),
        )
    else:
        run_action(
            request,
            lambda: people_services.reactivate_person(actor=actor, person=person),
            _("The account was reactivated."),
        )
    return redirect("directory:person", pk=person.pk)


@actor_view
@require_POST
def end_membership(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    membership = people_selectors.get_administrable_membership(actor, pk)
    run_action(
        request,
        lambda: people_services.end_membership(actor=actor, membership=membership, valid_to=timezone.localdate()),
        _("The position was ended."),
    )
    return redirect("directory:person", pk=membership.person_id)


@actor_view
@require_POST
def revoke_role(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    grant = people_selectors.get_administrable_grant(actor, pk)
    run_action(request, lambda: role_services.revoke_role(actor=actor, grant=grant), _("The role was revoked."))
    return redirect("directory:person", pk=grant.person_id)


@actor_view
@require_POST
def reset_second_factor(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = people_selectors.get_administrable(actor, pk)
    people_services.reset_second_factor(actor=actor, person=person)
    messages.success(request, _("Two-factor sign-in was reset; the person sets up a new device at the next sign-in."))
    return redirect("directory:person", pk=person.pk)

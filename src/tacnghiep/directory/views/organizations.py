from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tacnghiep.core.web import actor_view, add_errors
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.forms import EndOrganizationForm, MembershipForm, OrganizationForm, RoleGrantForm
from tacnghiep.directory.selectors import organizations as org_selectors
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.directory.services import organizations as org_services
from tacnghiep.directory.services import people as people_services
from tacnghiep.directory.services import roles as role_services


def _include_ended(request: HttpRequest) -> bool:
    return request.GET.get("ended") == "1"


@actor_view
def tree(request: HttpRequest, actor: Actor) -> HttpResponse:
    include_ended = _include_ended(request)
    query = request.GET.get("q", "").strip()
    context = {
        "roots": org_selectors.roots(actor, include_ended=include_ended),
        "include_ended": include_ended,
        "query": query,
        "results": org_selectors.search(actor, query, include_ended=include_ended) if query else None,
    }
    return render(request, "directory/organizations/tree.html", context)


@actor_view
def tree_children(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    parent = org_selectors.get(actor, pk)
    include_ended = _include_ended(request)
    nodes = org_selectors.children(actor, parent, include_ended=include_ended)
    return render(request, "directory/organizations/_nodes.html", {"nodes": nodes, "include_ended": include_ended})


@actor_view
def detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    org = org_selectors.get(actor, pk)
    before, after = org_selectors.successions(org)
    page = people_selectors.search(actor, organization=org, cursor=request.GET.get("after"), limit=50)
    can_admin = actor.can_admin_path(org.path)
    context = {
        "org": org,
        "ancestors": org_selectors.ancestors(org),
        "children": org_selectors.children(actor, org, include_ended=True),
        "predecessors": before,
        "successors": after,
        "people": page.items,
        "next_cursor": page.next_cursor,
        "can_admin": can_admin,
        "grants": org_selectors.current_grants(actor, org),
        "membership_form": MembershipForm(initial={"valid_from": timezone.localdate()}) if can_admin else None,
        "role_form": RoleGrantForm(system_admin=actor.is_system_admin) if can_admin else None,
    }
    return render(request, "directory/organizations/detail.html", context)


def _form_data(form: OrganizationForm) -> dict[str, object]:
    return dict(form.cleaned_data)


@actor_view
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, actor: Actor, parent_pk: int) -> HttpResponse:
    parent = org_selectors.get_administrable(actor, parent_pk)
    form = OrganizationForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            org = org_services.create_organization(
                actor=actor, data=org_services.OrganizationData(parent=parent, **form.cleaned_data)
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The organization was created."))
            return redirect("directory:organization", pk=org.pk)
    return render(request, "directory/organizations/form.html", {"form": form, "parent": parent, "org": None})


@actor_view
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    org = org_selectors.get_administrable(actor, pk)
    initial = {field: getattr(org, field) for field in OrganizationForm.base_fields}
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        try:
            if changes:
                org_services.update_organization(actor=actor, organization=org, changes=changes)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("directory:organization", pk=org.pk)
    return render(request, "directory/organizations/form.html", {"form": form, "parent": org.parent, "org": org})


@actor_view
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    org = org_selectors.get_administrable(actor, pk)
    candidates = org_selectors.administrable(actor).filter(valid_to__isnull=True).exclude(pk=org.pk)
    form = EndOrganizationForm(request.POST or None, successors=candidates, initial={"valid_to": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            org_services.end_organization(
                actor=actor,
                organization=org,
                valid_to=form.cleaned_data["valid_to"],
                successors=list(form.cleaned_data["successors"]),
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The organization has ended; its records stay readable."))
            return redirect("directory:organization", pk=org.pk)
    return render(request, "directory/organizations/end.html", {"form": form, "org": org})


@actor_view
@require_http_methods(["POST"])
def add_member(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    org = org_selectors.get_administrable(actor, pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        person = people_selectors.by_username(actor, form.cleaned_data["username"])
        if person is None:
            messages.error(request, _("No person with this username is in your scope."))
        else:
            try:
                people_services.add_membership(
                    actor=actor,
                    person=person,
                    organization=org,
                    position=form.cleaned_data["position"],
                    title=form.cleaned_data["title"],
                    valid_from=form.cleaned_data["valid_from"],
                    is_primary=form.cleaned_data["is_primary"],
                )
                messages.success(request, _("The position was added."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Check the form: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("directory:organization", pk=org.pk)


@actor_view
@require_http_methods(["POST"])
def grant_role(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    org = org_selectors.get_administrable(actor, pk)
    form = RoleGrantForm(request.POST, system_admin=actor.is_system_admin)
    if form.is_valid():
        person = people_selectors.by_username(actor, form.cleaned_data["username"])
        if person is None:
            messages.error(request, _("No person with this username is in your scope."))
        else:
            try:
                role_services.grant_role(actor=actor, person=person, organization=org, role=form.cleaned_data["role"])
                messages.success(request, _("The role was granted."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Check the form: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("directory:organization", pk=org.pk)

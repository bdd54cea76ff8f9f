from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tacnghiep.core.web import actor_view, add_errors, run_action, submit
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.documents.forms import (
    AssignmentRowFormSet,
    CompleteForm,
    DirectionForm,
    ExtensionForm,
    FilesForm,
    ForwardForm,
    GrantForm,
    IncomingForm,
    OpinionForm,
    ReturnForm,
)
from tacnghiep.documents.models import Direction, IncomingDocument
from tacnghiep.documents.selectors import files as file_selectors
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import outgoing as outgoing_selectors
from tacnghiep.documents.selectors import processing as processing_selectors
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services import incoming as incoming_services
from tacnghiep.documents.services import processing as processing_services
from tacnghiep.documents.services import secrecy

PAGE = 50


@actor_view
def incoming_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Newest first, keyset-paginated (no COUNT over the table)."""
    qs = incoming_selectors.readable(actor)
    register = request.GET.get("register", "")
    if register.isdigit():
        qs = qs.filter(register_id=int(register))
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = incoming_selectors.page(qs, PAGE + 1)
    context = {
        "documents": rows[:PAGE],
        "next_before": rows[PAGE - 1].id if len(rows) > PAGE else None,
        "registers": register_selectors.readable(actor).filter(direction=Direction.INCOMING),
        "register": register,
        "can_register": register_selectors.usable(actor, Direction.INCOMING).exists(),
        # One reverse() for the page instead of two per row: the list is the busiest page.
        "detail_base": reverse("documents:incoming"),
    }
    return render(request, "documents/incoming/list.html", context)


@actor_view
@require_http_methods(["GET", "POST"])
def incoming_register(request: HttpRequest, actor: Actor) -> HttpResponse:
    registers = register_selectors.usable(actor, Direction.INCOMING)
    form = IncomingForm(request.POST or None, request.FILES or None, registers=registers)
    duplicates: list[object] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirm = data.pop("confirm_duplicate")
        scans, attachments = data.pop("scans"), data.pop("attachments")
        try:
            document = incoming_services.register_incoming(
                actor=actor,
                data=incoming_services.IncomingData(**data),
                confirm_duplicate=confirm,
                scans=scans,
                attachments=attachments,
            )
        except incoming_services.LikelyDuplicate as exc:
            duplicates = list(exc.matches)
            form.add_error(None, exc.messages)
            form.show_duplicate_confirmation()
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Registered with arrival number %(n)s.") % {"n": document.arrival_number})
            return redirect("documents:incoming_detail", pk=document.pk)
    context = {"form": form, "duplicates": duplicates, "has_registers": registers.exists()}
    return render(request, "documents/incoming/register.html", context)


def _detail(request: HttpRequest, actor: Actor, document: IncomingDocument, **forms: object) -> HttpResponse:
    can_direct = processing_services.can_direct(actor, document)
    mine = [a for a in processing_selectors.inbox(actor) if a.document_id == document.pk]
    my_task = mine[0] if mine else None
    unit_task = my_task if my_task is not None and my_task.organization is not None else None
    context = {
        "document": document,
        "assignments": processing_selectors.assignments_of(document),
        "history": processing_selectors.history(document),
        "can_direct": can_direct,
        "my_task": my_task,
        "unit_task": unit_task,
        "unit_rows": forms.get("unit_rows")
        or (
            AssignmentRowFormSet(
                prefix="unit",
                form_kwargs={"assignees": processing_selectors.unit_members(actor, unit_task.organization)},
            )
            if unit_task is not None and unit_task.organization is not None
            else None
        ),
        "can_comment": can_direct or processing_selectors.involved(actor, document),
        "opinion_form": forms.get("opinion_form") or OpinionForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "extensions": [
            (e, str(e.assignment.person or e.assignment.organization), processing_services.can_decide(actor, e))
            for e in processing_selectors.pending_extensions(document)
        ],
        "direction_form": forms.get("direction_form") or DirectionForm(),
        "rows": forms.get("rows")
        or (
            AssignmentRowFormSet(form_kwargs={"assignees": processing_selectors.assignable(actor, document)})
            if can_direct
            else None
        ),
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "files": file_selectors.of_incoming(document.pk),
        "can_add_files": incoming_services.can_register_into(actor, document.register),
        "files_form": forms.get("files_form") or FilesForm(),
        "can_forward": can_direct or my_task is not None,
        "forward_form": forms.get("forward_form") or ForwardForm(people=_colleagues(actor, document)),
        "can_grant": secrecy.can_grant(actor, document),
        "grant_form": forms.get("grant_form") or GrantForm(people=_colleagues(actor, document)),
        "replies": document.replies.all(),
    }
    return render(request, "documents/incoming/detail.html", context)


@actor_view
def incoming_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    return _detail(request, actor, incoming_selectors.get(actor, pk))


@actor_view
@require_POST
def incoming_direct(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = incoming_selectors.get(actor, pk)
    direction_form = DirectionForm(request.POST)
    rows = AssignmentRowFormSet(
        request.POST, form_kwargs={"assignees": processing_selectors.assignable(actor, document)}
    )
    if direction_form.is_valid() and rows.is_valid():
        specs = _specs(actor, rows)
        try:
            processing_services.direct(
                actor=actor, document=document, direction=direction_form.cleaned_data["direction"], assignments=specs
            )
        except ValidationError as exc:
            direction_form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The direction was recorded and the assignees notified in their inboxes."))
            return redirect("documents:incoming_detail", pk=document.pk)
    return _detail(request, actor, document, direction_form=direction_form, rows=rows)


@actor_view
@require_POST
def assignment_complete(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    assignment = processing_selectors.get_own(actor, pk)
    form = CompleteForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: processing_services.complete(actor=actor, assignment=assignment, result=data["result"]),
        _("Marked as completed."),
        reverse("documents:inbox"),
    )
    return done or _detail(request, actor, incoming_selectors.get(actor, assignment.document_id), complete_form=form)


def _specs(actor: Actor, rows: forms.BaseFormSet[Any]) -> list[processing_services.AssignmentSpec]:
    specs = []
    for row in rows.cleaned_data:
        if row and row.get("assignee"):
            person, organization = processing_selectors.resolve_assignee(actor, row["assignee"])
            specs.append(
                processing_services.AssignmentSpec(
                    role=row["role"], person=person, organization=organization, due_on=row.get("due_on")
                )
            )
    return specs


@actor_view
@require_POST
def assignment_reassign(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    assignment = processing_selectors.get_own(actor, pk)
    unit = assignment.organization
    rows = AssignmentRowFormSet(
        request.POST,
        prefix="unit",
        form_kwargs={"assignees": processing_selectors.unit_members(actor, unit) if unit else []},
    )
    direction_form = DirectionForm(request.POST)
    if rows.is_valid() and direction_form.is_valid():
        try:
            processing_services.reassign_within_unit(
                actor=actor,
                assignment=assignment,
                direction=direction_form.cleaned_data["direction"],
                assignments=_specs(actor, rows),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Assigned within the unit."))
            return redirect("documents:inbox")
    document = incoming_selectors.get(actor, assignment.document_id)
    return _detail(request, actor, document, unit_rows=rows)


@actor_view
@require_POST
def assignment_return(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    assignment = processing_selectors.get_own(actor, pk)
    form = ReturnForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: processing_services.return_assignment(actor=actor, assignment=assignment, reason=data["reason"]),
        _("Returned to the person who assigned it."),
        reverse("documents:inbox"),
    )
    return done or _detail(request, actor, incoming_selectors.get(actor, assignment.document_id), return_form=form)


@actor_view
@require_POST
def incoming_opinion(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = incoming_selectors.get(actor, pk)
    form = OpinionForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: processing_services.add_opinion(actor=actor, document=document, text=data["text"]),
        _("Your opinion was added."),
        reverse("documents:incoming_detail", args=[document.pk]),
    )
    return done or _detail(request, actor, document, opinion_form=form)


@actor_view
@require_POST
def assignment_extension(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    assignment = processing_selectors.get_own(actor, pk)
    form = ExtensionForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: processing_services.request_extension(actor=actor, assignment=assignment, **data),
        _("Your request for more time was sent."),
        reverse("documents:incoming_detail", args=[assignment.document_id]),
    )
    return done or _detail(request, actor, incoming_selectors.get(actor, assignment.document_id), extension_form=form)


@actor_view
@require_POST
def extension_decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    extension = processing_selectors.get_decidable_extension(actor, pk)
    grant = request.POST.get("grant") == "1"
    run_action(
        request,
        lambda: processing_services.decide_extension(actor=actor, extension=extension, grant=grant),
        _("The new deadline was granted.") if grant else _("The request for more time was refused."),
    )
    return redirect("documents:incoming_detail", pk=extension.assignment.document_id)


@actor_view
def inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "documents/inbox.html", {"tasks": processing_selectors.inbox(actor)[:200], "today": today})


@actor_view
def deadlines(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Overdue and due-soon work per person and per unit, for leaders."""
    if not actor.has_role(Role.LEADER):
        raise PermissionDenied
    overview = processing_selectors.deadline_overview(actor, timezone.localdate())
    return render(request, "documents/deadlines.html", overview)


def _colleagues(actor: Actor, document: IncomingDocument) -> list[tuple[str, str]]:
    return outgoing_selectors.colleagues(actor, document.organization)


@actor_view
@require_POST
def incoming_files(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = incoming_selectors.get(actor, pk)
    form = FilesForm(request.POST, request.FILES)
    done = submit(
        request,
        form,
        lambda data: incoming_services.add_files(actor=actor, document=document, **data),
        _("The files were added."),
        reverse("documents:incoming_detail", args=[document.pk]),
    )
    return done or _detail(request, actor, document, files_form=form)


@actor_view
@require_POST
def incoming_forward(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = incoming_selectors.get(actor, pk)
    form = ForwardForm(request.POST, people=_colleagues(actor, document))
    done = submit(
        request,
        form,
        lambda data: processing_services.forward(
            actor=actor, document=document, people=people_selectors.chosen(actor, data["people"]), note=data["note"]
        ),
        _("Forwarded; it is in their inboxes for information."),
        reverse("documents:incoming_detail", args=[document.pk]),
    )
    return done or _detail(request, actor, document, forward_form=form)


@actor_view
@require_POST
def incoming_grant(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = incoming_selectors.get(actor, pk)
    form = GrantForm(request.POST, people=_colleagues(actor, document))

    def grant(data: dict[str, Any]) -> object:
        people = people_selectors.chosen(actor, [data["person"]])
        if not people:
            raise ValidationError({"person": [_("Choose a person.")]})
        return secrecy.grant(actor=actor, document=document, person=people[0])

    done = submit(
        request,
        form,
        grant,
        _("The person may now read this document."),
        reverse("documents:incoming_detail", args=[document.pk]),
    )
    return done or _detail(request, actor, document, grant_form=form)

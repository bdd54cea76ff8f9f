from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tacnghiep.core.web import actor_view, add_errors
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.forms import IncomingForm
from tacnghiep.documents.models import Direction
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services import incoming as incoming_services

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
    rows = list(qs.order_by("-id")[: PAGE + 1])
    context = {
        "documents": rows[:PAGE],
        "next_before": rows[PAGE - 1].id if len(rows) > PAGE else None,
        "registers": register_selectors.readable(actor).filter(direction=Direction.INCOMING),
        "register": register,
        "can_register": register_selectors.usable(actor, Direction.INCOMING).exists(),
    }
    return render(request, "documents/incoming/list.html", context)


@actor_view
@require_http_methods(["GET", "POST"])
def incoming_register(request: HttpRequest, actor: Actor) -> HttpResponse:
    registers = register_selectors.usable(actor, Direction.INCOMING)
    form = IncomingForm(request.POST or None, registers=registers)
    duplicates: list[object] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirm = data.pop("confirm_duplicate")
        try:
            document = incoming_services.register_incoming(
                actor=actor, data=incoming_services.IncomingData(**data), confirm_duplicate=confirm
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


@actor_view
def incoming_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = incoming_selectors.get(actor, pk)
    return render(request, "documents/incoming/detail.html", {"document": document})

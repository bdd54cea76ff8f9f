"""The clerk's pages for documents received over the exchange: the waiting list, one package, its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tacnghiep.core.access import scoped_get
from tacnghiep.core.web import actor_view, add_errors, file_response, run_action
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.documents.models import Direction, Register
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services.incoming import LikelyDuplicate
from tacnghiep.exchange import selectors
from tacnghiep.exchange.forms import ReasonForm, RecallAnswerForm, RegisterInboundForm
from tacnghiep.exchange.models import InboundPackage, InboxState
from tacnghiep.exchange.services import clerk


def _registers(actor: Actor, inbound: InboundPackage) -> list[Register]:
    path = inbound.organization.path if inbound.organization else "-"
    usable = register_selectors.usable(actor, Direction.INCOMING).select_related("organization")
    return [r for r in usable if path.startswith(r.organization.path)]


def _guess_type(inbound: InboundPackage) -> CatalogEntry | None:
    name = inbound.fields.get("TypeName", "")
    if not name:
        return None
    return (
        CatalogEntry.objects.filter(catalog__code="document-types")
        .filter(Q(name__iexact=name) | Q(code__iexact=name))
        .first()
    )


def _register_form(actor: Actor, inbound: InboundPackage, data: object = None) -> RegisterInboundForm:
    fitting = [r.pk for r in _registers(actor, inbound)]
    form = RegisterInboundForm(
        data,  # type: ignore[arg-type]
        registers=Register.objects.filter(pk__in=fitting),
        initial={"document_type": _guess_type(inbound)},
        prefix=f"r{inbound.pk}",
    )
    return form


@actor_view
@require_GET
def waiting(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows = [(item, _register_form(actor, item)) for item in selectors.waiting(actor)[:200]]
    return render(
        request,
        "exchange/waiting.html",
        {
            "rows": rows,
            "recent": selectors.recent(actor),
            "refuse_form": ReasonForm(),
            "recall_form": RecallAnswerForm(),
        },
    )


@actor_view
@require_http_methods(["GET", "POST"])
def inbound(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    item = selectors.get_inbound(actor, pk)
    form = _register_form(actor, item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = clerk.Registration(**form.cleaned_data)
        try:
            document = clerk.register(actor=actor, inbound=item, data=data)
        except LikelyDuplicate as exc:
            add_errors(form, exc)
            form.add_error("confirm_duplicate", _("Tick the box to register it anyway."))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Registered as incoming document no. %(number)s.") % {"number": document.arrival_number}
            )
            return redirect("documents:incoming_detail", pk=document.pk)
    context = {
        "item": item,
        "form": form,
        "files": item.files.select_related("file"),
        "refuse_form": ReasonForm(),
        "recall_form": RecallAnswerForm(),
        "waiting": item.state == InboxState.WAITING,
    }
    return render(request, "exchange/inbound.html", context)


@actor_view
@require_POST
def refuse(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    item = selectors.get_inbound(actor, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: clerk.refuse(actor=actor, inbound=item, reason=form.cleaned_data["reason"]),
            _("The document was refused; its issuer's system is told (02)."),
        )
    else:
        messages.error(request, _("Give the reason for refusing the document."))
    return redirect("exchange:waiting")


@actor_view
@require_POST
def recall(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    item = selectors.get_inbound(actor, pk)
    form = RecallAnswerForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: clerk.answer_recall(
                actor=actor, inbound=item, agree=form.cleaned_data["agree"], reason=form.cleaned_data["reason"]
            ),
            _("The answer was sent to the issuer's system."),
        )
    else:
        messages.error(request, _("Choose an answer."))
    return redirect("exchange:inbound", pk=pk)


@actor_view
@require_GET
def inbound_file(request: HttpRequest, actor: Actor, pk: int, file_pk: int) -> FileResponse:
    item = selectors.get_inbound(actor, pk)
    received = scoped_get(item.files.select_related("file"), file_pk, action="exchange.file", by=actor)
    return file_response(received.file, received.name, inline=request.GET.get("inline") == "1")

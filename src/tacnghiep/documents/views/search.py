"""Searching documents from the pages."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tacnghiep.core.web import actor_view
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.forms import catalog_choices
from tacnghiep.documents.models import OutgoingStatus
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.selectors.search import find
from tacnghiep.search import selectors as search

PAGE = 20


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=300,
        help_text=_(
            'Words in any case, with or without tones; "words in quotes" as a phrase; or a number such as 42-KH/TU.'
        ),
    )
    kind = forms.ChoiceField(
        label=_("Documents"),
        required=False,
        choices=[("", _("Incoming and outgoing")), ("incoming", _("Incoming")), ("outgoing", _("Outgoing"))],
    )
    register = forms.TypedChoiceField(label=_("Register"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label=_("Document type"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—"), ("pending", _("Being handled")), ("completed", _("Completed"))]
        + [(s.value, s.label) for s in OutgoingStatus],
    )
    period = forms.CharField(label=_("Year"), required=False, max_length=4)

    def __init__(self, *args: object, actor: Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        registers = register_selectors.readable(actor).order_by("organization__path", "name")[:200]
        self.fields["register"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (r.pk, f"{r.name} – {r.organization.name}") for r in registers
        ]
        self.fields["type"].choices = [("", "—"), *catalog_choices("document-types")]  # type: ignore[attr-defined]
        self.fields["urgency"].choices = [("", "—"), *catalog_choices("urgency-levels")]  # type: ignore[attr-defined]


@actor_view
def search_documents(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = SearchForm(request.GET or None, actor=actor)
    results: list[object] = []
    page = 0
    if form.is_valid() and any(form.cleaned_data.values()):
        data = form.cleaned_data
        page = max(0, int(request.GET.get("page", "0"))) if request.GET.get("page", "").isdigit() else 0
        filters = search.Filters(
            kinds=[data["kind"]] if data["kind"] else [],
            register=data["register"],
            period=data["period"],
            type=data["type"],
            urgency=data["urgency"],
            status=data["status"],
        )
        results = list(find(actor, data["q"], filters, limit=PAGE + 1, offset=page * PAGE))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "results": results[:PAGE],
        "searched": bool(request.GET),
        "next_page": page + 1 if len(results) > PAGE else None,
        "previous_page": page - 1 if page > 0 else None,
        "query": query.urlencode(),
    }
    return render(request, "documents/search.html", context)

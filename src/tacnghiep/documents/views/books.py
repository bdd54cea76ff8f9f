"""Register books and statistics: on screen, as .xlsx and as printable PDF."""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tacnghiep.core import uploads
from tacnghiep.core.web import actor_view, download
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.forms import DATE_WIDGET
from tacnghiep.documents.selectors import books
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services import exports


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=DATE_WIDGET, required=False)
    end = forms.DateField(label=gettext_lazy("To"), widget=DATE_WIDGET, required=False)

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)


@actor_view
def register_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    registers = register_selectors.readable(actor).order_by("organization__path", "direction", "name")[:500]
    return render(request, "documents/books/registers.html", {"registers": registers})


@actor_view
def register_book(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    register = register_selectors.get(actor, pk)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    fmt = request.GET.get("format", "")
    if fmt in exports.FORMATS:
        data = exports.export_register(actor=actor, register=register, start=start, end=end, fmt=fmt)
        name = f"so-{register.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
        return download(data, name, uploads.XLSX if fmt == "xlsx" else uploads.PDF)
    book = books.book(actor, register, start, end)
    subtitle = exports.book_subtitle(register, start, end)
    query = request.GET.copy()
    query.pop("format", None)
    context = {"register": register, "book": book, "form": form, "subtitle": subtitle, "query": query.urlencode()}
    return render(request, "documents/books/book.html", context)


@actor_view
def statistics(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    if request.GET.get("format") == "xlsx":
        data = exports.export_statistics(actor=actor, start=start, end=end)
        return download(data, f"thong-ke-{start:%Y%m%d}-{end:%Y%m%d}.xlsx", uploads.XLSX)
    figures = books.statistics(actor, start, end)
    query = request.GET.copy()
    query.pop("format", None)
    totals = [
        sum(getattr(f, name) for f in figures) for name in ("received", "issued", "on_time", "late", "open_overdue")
    ]
    context = {
        "form": form,
        "figures": figures,
        "totals": totals,
        "start": start,
        "end": end,
        "query": query.urlencode(),
    }
    return render(request, "documents/books/statistics.html", context)

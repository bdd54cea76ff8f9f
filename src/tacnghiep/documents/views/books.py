"""Register books and statistics: on screen, as .xlsx and as printable PDF."""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tacnghiep.core import audit, exports
from tacnghiep.core.web import actor_view
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.forms import DATE_WIDGET
from tacnghiep.documents.selectors import books
from tacnghiep.documents.selectors import registers as register_selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=DATE_WIDGET, required=False)
    end = forms.DateField(label=gettext_lazy("To"), widget=DATE_WIDGET, required=False)

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@actor_view
def register_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    registers = register_selectors.readable(actor).order_by("organization__path", "direction", "name")[:500]
    return render(request, "documents/books/registers.html", {"registers": registers})


@actor_view
def register_book(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    register = register_selectors.get(actor, pk)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    book = books.book(actor, register, start, end)
    subtitle = f"{register.organization.name} – {start:%d/%m/%Y}–{end:%d/%m/%Y}"
    fmt = request.GET.get("format", "")
    if fmt in {"xlsx", "pdf"}:
        audit.record(
            "register.export",
            by=actor,
            organization=register.organization,
            obj=register,
            details={"format": fmt, "from": start.isoformat(), "to": end.isoformat(), "rows": len(book.rows)},
        )
        name = f"so-{register.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
        if fmt == "xlsx":
            return _download(exports.xlsx(register.name, book.headers, book.rows, book.widths), name, XLSX)
        return _download(
            exports.pdf(register.name.upper(), subtitle, book.headers, book.rows, book.widths), name, "application/pdf"
        )
    query = request.GET.copy()
    query.pop("format", None)
    context = {"register": register, "book": book, "form": form, "subtitle": subtitle, "query": query.urlencode()}
    return render(request, "documents/books/book.html", context)


@actor_view
def statistics(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    figures = books.statistics(actor, start, end)
    if request.GET.get("format") == "xlsx":
        audit.record("statistics.export", by=actor, details={"from": start.isoformat(), "to": end.isoformat()})
        data = exports.xlsx(
            _("Statistics"), books.statistics_headers(), books.statistics_rows(figures), [50, 12, 12, 16, 16, 16]
        )
        return _download(data, f"thong-ke-{start:%Y%m%d}-{end:%Y%m%d}.xlsx", XLSX)
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

"""Register books and statistics as files: each export is an audit record (who took which data out)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from tacnghiep.core import audit, exports
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.models import Register
from tacnghiep.documents.selectors import books

FORMATS = ("xlsx", "pdf")


def book_subtitle(register: Register, start: datetime.date, end: datetime.date) -> str:
    return f"{register.organization.name} – {start:%d/%m/%Y}–{end:%d/%m/%Y}"


def export_register(*, actor: Actor, register: Register, start: datetime.date, end: datetime.date, fmt: str) -> bytes:
    """The register book between two dates as .xlsx or PDF (the caller has read the register already)."""
    book = books.book(actor, register, start, end)
    audit.record(
        "register.export",
        by=actor,
        organization=register.organization,
        obj=register,
        details={"format": fmt, "from": start.isoformat(), "to": end.isoformat(), "rows": len(book.rows)},
    )
    if fmt == "xlsx":
        return exports.xlsx(register.name, book.headers, book.rows, book.widths)
    return exports.pdf(register.name.upper(), book_subtitle(register, start, end), book.headers, book.rows, book.widths)


def export_statistics(*, actor: Actor, start: datetime.date, end: datetime.date) -> bytes:
    figures = books.statistics(actor, start, end)
    audit.record("statistics.export", by=actor, details={"from": start.isoformat(), "to": end.isoformat()})
    return exports.xlsx(
        _("Statistics"), books.statistics_headers(), books.statistics_rows(figures), [50, 12, 12, 16, 16, 16]
    )

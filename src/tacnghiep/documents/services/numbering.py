"""Taking the next number of a register: consecutive, never repeated, also under concurrency.

Called inside the transaction that records the document, so a number is used
only if the document is stored (a rolled-back registration gives its number
back). The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions serialize writers already) until that transaction ends.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tacnghiep.directory.models import CatalogEntry, Organization
from tacnghiep.documents.models import Abbreviations, PeriodKind, Register, RegisterCounter, SecretSeries


def period_key(register: Register, on: datetime.date) -> str:
    """The numbering period a document dated ``on`` belongs to."""
    if register.period_kind == PeriodKind.CALENDAR_YEAR:
        return str(on.year)
    if register.term_started_on is None:
        raise ValidationError(_("The register numbers by Party term but the term's start date is not set."))
    if on < register.term_started_on:
        raise ValidationError(_("The date is before the start of the register's current term."))
    return f"term:{register.term_started_on.isoformat()}"


def series_key(register: Register, document_type: CatalogEntry | None, secrecy: CatalogEntry | None) -> str:
    """Which sequence inside the period: per document type and/or a separate secret series."""
    parts = []
    if register.per_document_type and document_type is not None:
        parts.append(f"type:{document_type.code}")
    is_secret = secrecy is not None and int(secrecy.attributes.get("rank", 0)) > 0
    if is_secret and register.secret_series == SecretSeries.SEPARATE:
        parts.append("secret")
    return "|".join(parts)


def take_number(register: Register, period: str, series: str) -> int:
    """The next number; the caller must be inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the transaction that records the document")
    lookup = {"register": register, "period": period, "series": series}
    counter = RegisterCounter.objects.select_for_update().filter(**lookup).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = RegisterCounter.objects.create(**lookup)
        except IntegrityError:
            # Another registration created the row first; wait for it and continue from its number.
            counter = RegisterCounter.objects.select_for_update().get(**lookup)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def format_number(register: Register, number: int) -> str:
    """NĐ 30 writes numbers below 10 with a leading zero; the width is the register's setting."""
    return f"{number:0{register.number_width}d}"


def type_abbreviation(register: Register, document_type: CatalogEntry) -> str:
    """The abbreviation the register's rules use (Party or state), e.g. KH, CV, BC."""
    key = "party_abbreviation" if register.abbreviations == Abbreviations.PARTY else "state_abbreviation"
    return str((document_type.attributes or {}).get(key) or "")


def notation(register: Register, number: int, document_type: CatalogEntry, issuer: Organization) -> str:
    """Số và ký hiệu from the register's template, e.g. ``42-KH/TU`` or ``15/BC-UBND``.

    A type without an abbreviation in the register's set (a state công văn has none)
    drops its placeholder together with its separator: ``{n}/{type}-{issuer}``
    becomes ``15/UBND``.
    """
    template = register.notation_template or "{n}-{type}/{issuer}"
    abbreviation = type_abbreviation(register, document_type)
    if not abbreviation:
        for joined in ("-{type}", "{type}-", "/{type}", "{type}/", "{type}"):
            template = template.replace(joined, "")
    text = template.replace("{n}", format_number(register, number))
    return text.replace("{type}", abbreviation).replace("{issuer}", issuer.short_name)

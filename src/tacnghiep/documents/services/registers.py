from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.changes import apply_changes
from tacnghiep.core.text import normalize
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization
from tacnghiep.directory.services._common import require_admin_of
from tacnghiep.documents.models import Abbreviations, Direction, PeriodKind, Register, SecretSeries

EDITABLE = (
    "name",
    "period_kind",
    "term_started_on",
    "per_document_type",
    "secret_series",
    "notation_template",
    "number_width",
    "abbreviations",
    "is_active",
)
TEMPLATE_FIELDS = ("{n}", "{type}", "{issuer}")


def _clean(register: Register) -> None:
    register.name = normalize(register.name)
    errors: dict[str, list[str]] = {}
    if not register.name:
        errors["name"] = [_("The register needs a name.")]
    if register.period_kind == PeriodKind.PARTY_TERM and register.term_started_on is None:
        errors["term_started_on"] = [_("Numbering by Party term needs the date the term started.")]
    if register.direction != Direction.INCOMING and register.notation_template:
        if "{n}" not in register.notation_template:
            errors["notation_template"] = [_("The notation template must contain {n} for the number.")]
        unknown = [part for part in _placeholders(register.notation_template) if part not in TEMPLATE_FIELDS]
        if unknown:
            errors["notation_template"] = [
                _("Unknown placeholder %(name)s; use {n}, {type} and {issuer}.") % {"name": unknown[0]}
            ]
    if not 1 <= register.number_width <= 6:
        errors["number_width"] = [_("Between 1 and 6 digits.")]
    if errors:
        raise ValidationError(errors)


def _placeholders(template: str) -> list[str]:
    return re.findall(r"\{[^}]*\}", template)


def create_register(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    direction: str,
    period_kind: str,
    term_started_on: datetime.date | None = None,
    per_document_type: bool = False,
    secret_series: str = SecretSeries.SEPARATE,
    notation_template: str = "",
    number_width: int = 2,
    abbreviations: str = Abbreviations.PARTY,
) -> Register:
    """A register for ``organization``; its administrators (unit or system) create it."""
    require_admin_of(actor, organization, "register.create")
    with transaction.atomic():
        register = Register(
            organization=organization,
            name=name,
            direction=direction,
            period_kind=period_kind,
            term_started_on=term_started_on,
            per_document_type=per_document_type,
            secret_series=secret_series,
            notation_template=notation_template.strip(),
            number_width=number_width,
            abbreviations=abbreviations,
        )
        _clean(register)
        register.save()
        audit.record("register.create", by=actor, organization=organization, obj=register)
        return register


def update_register(*, actor: Actor, register: Register, changes: dict[str, Any]) -> Register:
    """Change a register's scheme; a new term start date restarts Party numbering at 1."""
    require_admin_of(actor, register.organization, "register.change")
    with transaction.atomic():
        target = Register.objects.select_for_update().get(pk=register.pk)
        details = apply_changes(target, changes, EDITABLE)
        _clean(target)
        target.save()
        audit.record("register.change", by=actor, organization=target.organization, obj=target, details=details)
        return target

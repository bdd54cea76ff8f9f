"""Applying a dict of field changes the way every `update_*` service does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _


def apply_changes(obj: Model, changes: dict[str, Any], editable: Iterable[str]) -> dict[str, dict[str, str]]:
    """Set the allowed fields on ``obj``; return before/after values for the audit record.

    Any field outside ``editable`` refuses the whole change (nothing is set).
    """
    allowed = set(editable)
    refused = {field: [_("This field cannot be changed here.")] for field in changes if field not in allowed}
    if refused:
        raise ValidationError(refused)
    before = {field: str(getattr(obj, field)) for field in changes}
    for field, value in changes.items():
        setattr(obj, field, value)
    return {"before": before, "after": {field: str(getattr(obj, field)) for field in changes}}

"""Helpers for scoped reads and denials, shared by every app's selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tacnghiep.core import audit

if TYPE_CHECKING:
    from tacnghiep.directory.actors import Actor

M = TypeVar("M", bound=Model)


def scoped_get(scoped: QuerySet[M], pk: object, *, action: str, by: Actor | None = None) -> M:
    """Return the object if it is in ``scoped``; otherwise 404, auditing a denial if it exists at all.

    The answer is 404 either way, so that ids outside one's scope cannot be probed.
    """
    try:
        obj = scoped.filter(pk=pk).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        model = scoped.model
        try:
            exists = model._default_manager.filter(pk=pk).exists()
        except (TypeError, ValueError):
            exists = False
        if exists:
            audit.record_denied(action, by=by, object_type=model._meta.label_lower, object_id=str(pk))
        raise Http404(_("Not found or you do not have access."))
    return obj


def deny(
    action: str, *, by: Actor | None = None, obj: Model | None = None, message: str | None = None
) -> PermissionDenied:
    """Audit a refused change and return the exception for the caller to raise."""
    audit.record_denied(action, by=by, obj=obj)
    return PermissionDenied(message or _("You do not have permission to do this."))

"""The verdict on a file's signatures, as a badge next to the file (valid / untrusted / modified / invalid)."""

from __future__ import annotations

from typing import Any

from django import template

from tacnghiep.core.models import StoredFile
from tacnghiep.signing.models import SignatureCheck

register = template.Library()


@register.inclusion_tag("signing/_badge.html")
def signature_badge(stored: StoredFile | None) -> dict[str, Any]:
    check = None
    if stored is not None and stored.media_type == "application/pdf":
        check = SignatureCheck.objects.filter(file=stored).first()
    return {"check": check}

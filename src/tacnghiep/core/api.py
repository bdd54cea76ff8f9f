"""REST helpers shared by every app's API: keyset pagination and Vietnamese error bodies."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, relations
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class KeysetPagination(pagination.CursorPagination):
    """Cursor (keyset) pagination: no COUNT over large tables, stable under inserts."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # Services raise Django's ValidationError; the API answers 400 with the same messages.
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


CODE = re.compile(r"^[-a-z0-9]{1,50}$")


class CodeRelatedField(relations.SlugRelatedField):  # type: ignore[type-arg]
    """A catalog or kind referenced by its code; anything not shaped like a code is refused before the lookup.

    DRF's slug field queries the database with whatever it receives; PostgreSQL
    rejects text with a NUL byte with an error, which would become a 500.
    """

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not CODE.match(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:50])
        return super().to_internal_value(data)

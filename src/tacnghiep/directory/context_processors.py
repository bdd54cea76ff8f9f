from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tacnghiep.core import selectors as core_selectors
from tacnghiep.directory.selectors.roles import requires_second_factor, second_factor_passed


def actor(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "actor", None)
    # The menu appears only once the session may use it (after the second factor, if required).
    navigation = current is not None and (
        second_factor_passed(request.user) or not requires_second_factor(current.person)
    )
    return {
        "actor": current,
        "show_navigation": navigation,
        "unread_notifications": core_selectors.unread_count(current.person) if navigation and current else 0,
    }

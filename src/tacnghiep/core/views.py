from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from tacnghiep.core import selectors as core_selectors
from tacnghiep.core.notifications import mark_all_read


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and `tacnghiep check`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "degraded", "database": database}, status=status)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own notifications; POST marks them all read."""
    if request.method == "POST":
        mark_all_read(request.user)  # type: ignore[arg-type]
        return redirect("notifications")
    items = core_selectors.notifications(request.user)[:100]  # type: ignore[arg-type]
    return render(request, "core/notifications.html", {"items": items})

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tacnghiep.core.web import actor_view
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.selectors import catalogs as catalog_selectors


@actor_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "directory/catalogs/index.html", {"catalogs": catalog_selectors.catalogs()})


@actor_view
def entries(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    catalog = get_object_or_404(catalog_selectors.catalogs(), code=code)
    include_retired = request.GET.get("retired") == "1"
    context = {
        "catalog": catalog,
        "entries": catalog_selectors.entries(code, include_retired=include_retired),
        "include_retired": include_retired,
        "can_edit": actor.is_system_admin,
    }
    return render(request, "directory/catalogs/entries.html", context)

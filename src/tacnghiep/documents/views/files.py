"""Serving stored files to people allowed to read their document, and the in-browser PDF viewer."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tacnghiep.core import uploads
from tacnghiep.core.web import actor_view, file_response
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.selectors import files as file_selectors


@actor_view
@require_GET
def file_download(request: HttpRequest, actor: Actor, pk: int) -> FileResponse:
    item = file_selectors.get(actor, pk)
    return file_response(item.file, item.name, inline=request.GET.get("inline") == "1")


@actor_view
@require_GET
def version_download(request: HttpRequest, actor: Actor, pk: int) -> FileResponse:
    version = file_selectors.get_version(actor, pk)
    if request.GET.get("pdf") == "1" and version.pdf is not None:
        name = version.name.rsplit(".", 1)[0] + ".pdf"
        return file_response(version.pdf, name, inline=request.GET.get("inline") == "1")
    return file_response(version.file, version.name, inline=request.GET.get("inline") == "1")


@actor_view
@require_GET
def file_view(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """pdf.js renders the file in the page: no plug-in, no download needed, works on phones."""
    item = file_selectors.get(actor, pk)
    source = reverse("documents:file", args=[item.pk]) + "?inline=1"
    back = (
        reverse("documents:incoming_detail", args=[item.incoming_id])
        if item.incoming_id
        else reverse("documents:outgoing_detail", args=[item.outgoing_id])
    )
    return render(
        request,
        "documents/viewer.html",
        {
            "name": item.name,
            "source": source,
            "download": reverse("documents:file", args=[item.pk]),
            "back": back,
            "is_pdf": item.file.media_type == uploads.PDF,
        },
    )


@actor_view
@require_GET
def version_view(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    version = file_selectors.get_version(actor, pk)
    base = reverse("documents:version", args=[version.pk])
    return render(
        request,
        "documents/viewer.html",
        {
            "name": f"{version.name} (v{version.number})",
            "source": base + "?pdf=1&inline=1",
            "download": base,
            "back": reverse("documents:outgoing_detail", args=[version.document_id]),
            "is_pdf": version.pdf is not None,
        },
    )

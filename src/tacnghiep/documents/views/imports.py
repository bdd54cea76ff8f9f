"""Importing an older register from the pages, with a progress bar that follows the worker."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from tacnghiep.core import uploads
from tacnghiep.core.web import actor_view, add_errors, download
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.forms import MultipleFileField
from tacnghiep.documents.models import Direction
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services import import_jobs, importing


class ImportForm(forms.Form):
    sheet = forms.FileField(label=_("Spreadsheet (.xlsx)"))
    named_files = MultipleFileField(
        label=_("Files named in the sheet"), required=False, help_text=_("You may choose several files.")
    )


@actor_view
def import_start(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.GET.get("template") == "1":
        return download(importing.template_xlsx(), "mau-nhap-so-van-ban-den.xlsx", uploads.XLSX)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_jobs.start_import(
                actor=actor, sheet=form.cleaned_data["sheet"], files=form.cleaned_data["named_files"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("documents:import_job", pk=job.pk)
    context = {
        "form": form,
        "can_import": register_selectors.usable(actor, Direction.INCOMING).exists(),
        "jobs": register_selectors.recent_imports(actor),
    }
    return render(request, "documents/imports/start.html", context)


@actor_view
def import_job(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    job = register_selectors.import_job(actor, pk)
    if request.GET.get("report") == "1":
        problems = [importing.Problem(*row) for row in job.problems]
        return download(importing.report_xlsx(problems), f"bao-cao-loi-{job.pk}.xlsx", uploads.XLSX)
    template = "documents/imports/_progress.html" if request.htmx else "documents/imports/job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job, "problems": job.problems[:200]})

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tacnghiep.core.models import AuditOutcome
from tacnghiep.core.web import actor_view
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.forms import DATE_WIDGET
from tacnghiep.directory.selectors import audit as audit_selectors


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", "—"), *AuditOutcome.choices])
    actor = forms.CharField(label=_("Username"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)


@actor_view
def log(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not actor.is_admin:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = audit_selectors.AuditFilter()
    if form.is_valid():
        filters = audit_selectors.AuditFilter(**form.cleaned_data)
    before = request.GET.get("before", "")
    records = audit_selectors.search(actor, filters, before_id=int(before) if before.isdigit() else None)
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "records": records,
        "next_before": records[-1].id if len(records) == 50 else None,
        "query": query.urlencode(),
    }
    return render(request, "directory/audit/log.html", context)

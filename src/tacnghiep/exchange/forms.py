from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tacnghiep.directory.forms import DATE_WIDGET
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.documents.models import Register


def _catalog(code: str) -> QuerySet[CatalogEntry]:
    return CatalogEntry.objects.filter(catalog__code=code, retired_on__isnull=True).order_by("sort_order", "name")


class RegisterInboundForm(forms.Form):
    register = forms.ModelChoiceField(label=_("Register"), queryset=Register.objects.none(), empty_label=None)
    document_type = forms.ModelChoiceField(label=_("Document type"), queryset=_catalog("document-types"))
    urgency = forms.ModelChoiceField(label=_("Urgency"), queryset=_catalog("urgency-levels"), empty_label=None)
    secrecy = forms.ModelChoiceField(label=_("Secrecy"), queryset=_catalog("secrecy-levels"), empty_label=None)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)
    confirm_duplicate = forms.BooleanField(label=_("Register even if it looks like a duplicate"), required=False)

    def __init__(self, *args: Any, registers: QuerySet[Register], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers  # type: ignore[attr-defined]
        for name in ("document_type", "urgency", "secrecy"):
            self.fields[name].queryset = self.fields[name].queryset.all()  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class RecallAnswerForm(forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Give it back (15)")), ("0", _("Keep it (16)"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Reason (when keeping it)"), max_length=1000, required=False)

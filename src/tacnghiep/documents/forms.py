"""Web forms: shape only; rules live in the services."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tacnghiep.directory.forms import DATE_WIDGET
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.documents.models import AssignmentRole, ReceivedVia, Register, SigningAuthority

DATETIME_WIDGET = forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"})


def _catalog(code: str) -> QuerySet[CatalogEntry]:
    return CatalogEntry.objects.filter(catalog__code=code, retired_on__isnull=True).order_by("sort_order", "name")


class IncomingForm(forms.Form):
    register = forms.ModelChoiceField(label=_("Register"), queryset=Register.objects.none(), empty_label=None)
    arrived_at = forms.DateTimeField(label=_("Arrival date and time"), widget=DATETIME_WIDGET)
    received_via = forms.ChoiceField(label=_("Received as"), choices=ReceivedVia.choices, initial=ReceivedVia.PAPER)
    issuer_name = forms.CharField(label=_("Issuing organization"), max_length=200)
    code_notation = forms.CharField(
        label=_("Number and notation"), max_length=30, required=False, help_text=_("As printed, e.g. 42-KH/TU")
    )
    issued_on = forms.DateField(label=_("Issued date"), required=False, widget=DATE_WIDGET)
    document_type = forms.ModelChoiceField(label=_("Document type"), queryset=_catalog("document-types"))
    subject = forms.CharField(label=_("Subject"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signing_authority = forms.ChoiceField(
        label=_("Signing authority"), choices=SigningAuthority.choices, required=False
    )
    urgency = forms.ModelChoiceField(label=_("Urgency"), queryset=_catalog("urgency-levels"), empty_label=None)
    secrecy = forms.ModelChoiceField(label=_("Secrecy"), queryset=_catalog("secrecy-levels"), empty_label=None)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)
    page_count = forms.IntegerField(label=_("Pages"), required=False, min_value=1, max_value=100000)
    confirm_duplicate = forms.BooleanField(
        label=_("Register it anyway: this is not the same document"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: object, registers: QuerySet[Register], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["register"].queryset = registers  # type: ignore[attr-defined]
        self.fields["arrived_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def show_duplicate_confirmation(self) -> None:
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()


class AssignmentRowForm(forms.Form):
    """One row of a direction: who, in which role, by when. Empty rows are ignored."""

    assignee = forms.ChoiceField(label=_("Person or unit"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices, initial=AssignmentRole.LEAD)
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: object, assignees: list[tuple[str, object]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["assignee"].choices = [("", "—"), *(assignees or [])]  # type: ignore[attr-defined]
        # The rows are laid out as a table without <label>s; name each control for screen readers.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = str(field.label)


AssignmentRowFormSet = forms.formset_factory(AssignmentRowForm, extra=4, max_num=20)


class DirectionForm(forms.Form):
    direction = forms.CharField(
        label=_("Direction"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(forms.Form):
    result = forms.CharField(
        label=_("Result"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Opinion"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=1000)


class ExtensionForm(forms.Form):
    requested_due_on = forms.DateField(label=_("New deadline"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Why more time is needed"), max_length=1000)

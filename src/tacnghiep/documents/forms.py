"""Web forms: shape only; rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tacnghiep.directory.forms import DATE_WIDGET
from tacnghiep.directory.models import CatalogEntry, Organization
from tacnghiep.documents.models import AssignmentRole, ReceivedVia, Register, ReviewMode, SigningAuthority

DATETIME_WIDGET = forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"})


def _catalog(code: str) -> QuerySet[CatalogEntry]:
    return CatalogEntry.objects.filter(catalog__code=code, retired_on__isnull=True).order_by("sort_order", "name")


def catalog_choices(code: str) -> list[tuple[str, str]]:
    return [(e.code, e.name) for e in _catalog(code)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


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
    scans = MultipleFileField(
        label=_("Scanned document (PDF, JPEG, PNG)"), required=False, help_text=_("You may choose several files.")
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
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


class FilesForm(forms.Form):
    scans = MultipleFileField(label=_("Scanned document (PDF, JPEG, PNG)"), required=False)
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class ForwardForm(forms.Form):
    people = forms.MultipleChoiceField(label=_("Forward to"), widget=forms.SelectMultiple(attrs={"size": 6}))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = people  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    person = forms.ChoiceField(label=_("Person who may read it"))

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—"), *people]  # type: ignore[attr-defined]


class DraftForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Issuing organization"), queryset=Organization.objects.none(), empty_label=None
    )
    document_type = forms.ModelChoiceField(label=_("Document type"), queryset=_catalog("document-types"))
    subject = forms.CharField(label=_("Subject"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ModelChoiceField(label=_("Urgency"), queryset=_catalog("urgency-levels"), empty_label=None)
    secrecy = forms.ModelChoiceField(label=_("Secrecy"), queryset=_catalog("secrecy-levels"), empty_label=None)
    upload = forms.FileField(label=_("Text of the draft (.docx or .pdf)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organizations]
        )


class VersionForm(forms.Form):
    upload = forms.FileField(label=_("New text (.docx or .pdf)"))
    note = forms.CharField(label=_("What changed"), required=False, max_length=1000)


class AttachmentForm(forms.Form):
    upload = forms.FileField(label=_("Attachment"))


class StepRowForm(forms.Form):
    """One review step: its reviewers (several run in parallel) and whether all or any must approve."""

    reviewers = forms.MultipleChoiceField(
        label=_("Reviewers"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    mode = forms.ChoiceField(label=_("Approval"), choices=ReviewMode.choices, initial=ReviewMode.ALL)

    def __init__(self, *args: Any, people: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].choices = people or []  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = str(field.label)


StepRowFormSet = forms.formset_factory(StepRowForm, extra=3, max_num=10)


class SubmitForm(forms.Form):
    signer = forms.ChoiceField(label=_("Signer (approves last)"))

    def __init__(self, *args: Any, leaders: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signer"].choices = leaders  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(forms.Form):
    register = forms.ModelChoiceField(label=_("Register"), queryset=Register.objects.none(), empty_label=None)
    issued_on = forms.DateField(label=_("Issued date"), widget=DATE_WIDGET)
    organizations = forms.ModelMultipleChoiceField(
        label=_("Recipient organizations (delivered electronically)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    places = forms.CharField(
        label=_("Other places (one per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="Lưu VT",
    )

    def __init__(
        self, *args: Any, registers: QuerySet[Register], organizations: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers  # type: ignore[attr-defined]
        self.fields["organizations"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["issued_on"].initial = timezone.localdate()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ReceiveForm(forms.Form):
    register = forms.ModelChoiceField(label=_("Register"), queryset=Register.objects.none(), empty_label=None)

    def __init__(self, *args: Any, registers: QuerySet[Register], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers  # type: ignore[attr-defined]

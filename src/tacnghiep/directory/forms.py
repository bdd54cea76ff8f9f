"""Web forms: they validate the shape of input; rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from tacnghiep.directory.models import CatalogEntry, Organization, OrganizationKind, Role, SuccessionKind

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "maxlength": 6}
        ),
    )


def _catalog_field(catalog: str, label: StrOrPromise, required: bool = False) -> forms.ModelChoiceField[CatalogEntry]:
    return forms.ModelChoiceField(
        label=label,
        required=required,
        queryset=CatalogEntry.objects.filter(catalog__code=catalog, retired_on__isnull=True).order_by(
            "sort_order", "name"
        ),
    )


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=255)
    short_name = forms.CharField(
        label=_("Short name"), max_length=50, help_text=_("Used in document notations, e.g. TU, VPTU, BTCTU.")
    )
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=OrganizationKind.objects.all())
    code_qcvn102 = forms.CharField(
        label=_("Identifier code (QCVN 102)"), max_length=13, required=False, help_text=_("Form 000.00.00.H41")
    )
    code_qd20 = forms.CharField(
        label=_("Identifier code (QĐ 20/2020)"),
        max_length=35,
        required=False,
        help_text=_("Up to 35 characters: A–Z, 0–9 and dots, level 1 first"),
    )
    administrative_unit_code = forms.CharField(label=_("Administrative unit code"), max_length=10, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    sort_order = forms.IntegerField(label=_("Order"), initial=0)
    is_external = forms.BooleanField(
        label=_("Outside this system"),
        required=False,
        help_text=_("Documents reach it over the exchange bus (edXML), by its identifier code."),
    )


class EndOrganizationForm(forms.Form):
    valid_to = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)
    successors = forms.ModelMultipleChoiceField(
        label=_("Successors"), required=False, queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=_("How"), choices=SuccessionKind.choices, initial=SuccessionKind.MERGE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: object, successors: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if successors is not None:
            self.fields["successors"].queryset = successors  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    personal_code = forms.CharField(label=_("Personal code"), max_length=50, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", "—"), ("male", _("Male")), ("female", _("Female")), ("other", _("Other"))],
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["ethnic_group"] = _catalog_field("ethnic-groups", _("Ethnic group"))
        self.fields["religion"] = _catalog_field("religions", _("Religion"))
        self.fields["education_level"] = _catalog_field("education-levels", _("Education level"))
        self.fields["political_theory_level"] = _catalog_field("political-theory-levels", _("Political theory level"))


class NewPersonForm(PersonForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"] = _catalog_field("positions", _("Position"))
        self.fields["title"] = forms.CharField(label=_("Title as written"), max_length=200, required=False)
        self.order_fields(["username", "full_name", "position", "title"])


class MembershipForm(forms.Form):
    username = forms.CharField(label=_("Username of the person"), max_length=150)
    title = forms.CharField(label=_("Title as written"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    is_primary = forms.BooleanField(label=_("Primary position"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["position"] = _catalog_field("positions", _("Position"))
        self.order_fields(["username", "position", "title", "valid_from", "is_primary"])


class RoleGrantForm(forms.Form):
    username = forms.CharField(label=_("Username of the person"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: object, system_admin: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # No role is preselected, and the most powerful one comes last.
        order = [Role.SPECIALIST, Role.CLERK, Role.LEADER, Role.UNIT_ADMIN] + (
            [Role.SYSTEM_ADMIN] if system_admin else []
        )
        self.fields["role"].choices = [("", "—")] + [(role.value, role.label) for role in order]  # type: ignore[attr-defined]


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Repeat the new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("The two passwords do not match."))
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=90)


class DelegationForm(forms.Form):
    delegate = forms.CharField(label=_("Username of the delegate"), max_length=150)
    starts_at = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"})
    )
    ends_at = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

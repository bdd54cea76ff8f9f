from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from tacnghiep.core import audit
from tacnghiep.core.access import deny
from tacnghiep.core.changes import apply_changes
from tacnghiep.core.text import fold, normalize
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry, Membership, Organization, Person
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.directory.services import sessions
from tacnghiep.directory.services._common import require_admin_of

EDITABLE = (
    "full_name",
    "email",
    "phone",
    "personal_code",
    "gender",
    "birth_date",
    "ethnic_group",
    "religion",
    "education_level",
    "political_theory_level",
)
CATALOG_OF = {
    "ethnic_group": "ethnic-groups",
    "religion": "religions",
    "education_level": "education-levels",
    "political_theory_level": "political-theory-levels",
}


def sort_key_for(full_name: str) -> str:
    """Vietnamese lists sort by given name (the last word), then by the full name."""
    folded = fold(full_name)
    given = folded.split()[-1] if folded else ""
    return f"{given} {folded}"[:250]


def clean_person(person: Person) -> None:
    person.full_name = normalize(person.full_name)
    person.username = person.username.strip()
    person.email = person.email.strip().lower()
    person.personal_code = person.personal_code.strip()
    errors: dict[str, list[str]] = {}
    if not person.full_name:
        errors["full_name"] = [_("The full name is required.")]
    for field, catalog in CATALOG_OF.items():
        entry: CatalogEntry | None = getattr(person, field)
        if entry is not None and entry.catalog.code != catalog:
            errors[field] = [_("Choose a value from the right catalog.")]
    if Person.objects.filter(username__iexact=person.username).exclude(pk=person.pk).exists():
        errors["username"] = [_("This username is already taken.")]
    if (
        person.personal_code
        and Person.objects.filter(personal_code=person.personal_code).exclude(pk=person.pk).exists()
    ):
        errors["personal_code"] = [_("This personal code is already used.")]
    if errors:
        raise ValidationError(errors)
    person.sort_key = sort_key_for(person.full_name)
    person.search_text = fold(
        " ".join([person.full_name, person.username, person.email, person.phone, person.personal_code])
    )[:600]


def create_person(
    *,
    actor: Actor,
    organization: Organization,
    username: str,
    full_name: str,
    position: CatalogEntry | None = None,
    title: str = "",
    valid_from: datetime.date | None = None,
    **fields: Any,
) -> Person:
    """Create a person with a first (primary) position in ``organization``."""
    require_admin_of(actor, organization, "person.create")
    with transaction.atomic():
        person = Person(username=username, full_name=full_name, **fields)
        clean_person(person)
        person.set_unusable_password()
        person.save()
        Membership.objects.create(
            person=person,
            organization=organization,
            position=position,
            title=title,
            is_primary=True,
            valid_from=valid_from or timezone.localdate(),
        )
        audit.record(
            "person.create", by=actor, organization=organization, obj=person, details={"username": person.username}
        )
        return person


def _require_admin_of_person(actor: Actor, person: Person, action: str) -> None:
    if not people_selectors.can_administer(actor, person):
        raise deny(action, by=actor, obj=person)


def update_person(*, actor: Actor, person: Person, changes: dict[str, Any]) -> Person:
    _require_admin_of_person(actor, person, "person.change")
    with transaction.atomic():
        target = Person.objects.select_for_update().get(pk=person.pk)
        details = apply_changes(target, changes, EDITABLE)
        clean_person(target)
        target.save()
        audit.record("person.change", by=actor, obj=target, details=details)
        return target


def set_password(*, actor: Actor, person: Person, password: str) -> None:
    """An administrator sets a person's password; the person's sessions end."""
    if actor.person.pk != person.pk:
        _require_admin_of_person(actor, person, "person.set_password")
    with transaction.atomic():
        target = Person.objects.select_for_update().get(pk=person.pk)
        validate_password(password, target)
        target.set_password(password)
        target.save(update_fields=["password"])
        sessions.end_all(target, except_key=None)
        audit.record("person.set_password", by=actor, obj=target)


def deactivate_person(*, actor: Actor, person: Person) -> Person:
    """Stop a person signing in: every session, API token and OIDC token ends now."""
    _require_admin_of_person(actor, person, "person.deactivate")
    with transaction.atomic():
        target = Person.objects.select_for_update().get(pk=person.pk)
        if target.pk == actor.person.pk:
            raise ValidationError(_("You cannot deactivate your own account."))
        target.is_active = False
        target.save(update_fields=["is_active"])
        ended = sessions.end_all(target, except_key=None)
        revoked = sessions.revoke_tokens(target)
        audit.record("person.deactivate", by=actor, obj=target, details={"sessions": ended, "tokens": revoked})
        return target


def reactivate_person(*, actor: Actor, person: Person) -> Person:
    _require_admin_of_person(actor, person, "person.reactivate")
    with transaction.atomic():
        target = Person.objects.select_for_update().get(pk=person.pk)
        target.is_active = True
        target.save(update_fields=["is_active"])
        audit.record("person.reactivate", by=actor, obj=target)
        return target


def add_membership(
    *,
    actor: Actor,
    person: Person,
    organization: Organization,
    position: CatalogEntry | None,
    title: str = "",
    valid_from: datetime.date | None = None,
    is_primary: bool = False,
) -> Membership:
    """Give a person a (further) position. The actor must administer the organization."""
    require_admin_of(actor, organization, "membership.create")
    with transaction.atomic():
        if not person.pk:
            raise ValidationError(_("Unknown person."))
        if position is not None and position.catalog.code != "positions":
            raise ValidationError({"position": _("Choose a value from the right catalog.")})
        if organization.valid_to is not None:
            raise ValidationError({"organization": _("This organization has ended.")})
        if is_primary:
            Membership.objects.filter(person=person, is_primary=True).update(is_primary=False)
        membership = Membership.objects.create(
            person=person,
            organization=organization,
            position=position,
            title=normalize(title),
            valid_from=valid_from or timezone.localdate(),
            is_primary=is_primary,
        )
        audit.record("membership.create", by=actor, organization=organization, obj=membership)
        return membership


def end_membership(*, actor: Actor, membership: Membership, valid_to: datetime.date | None = None) -> Membership:
    require_admin_of(actor, membership.organization, "membership.end")
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organization").get(pk=membership.pk)
        day = valid_to or timezone.localdate()
        if day < target.valid_from:
            raise ValidationError(_("The end date cannot be before the start date."))
        target.valid_to = day
        target.save(update_fields=["valid_to"])
        audit.record(
            "membership.end",
            by=actor,
            organization=target.organization,
            obj=target,
            details={"valid_to": day.isoformat()},
        )
        return target


def reset_second_factor(*, actor: Actor, person: Person) -> int:
    """Remove a person's authenticator devices (a lost phone) and end their sessions.

    At the next sign-in the person sets up a new device (required for administrators).
    """
    _require_admin_of_person(actor, person, "person.reset_second_factor")
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=person).delete()[0]
        ended = sessions.end_all(person, except_key=None)
        audit.record(
            "person.reset_second_factor", by=actor, obj=person, details={"devices": removed, "sessions": ended}
        )
        return int(removed)

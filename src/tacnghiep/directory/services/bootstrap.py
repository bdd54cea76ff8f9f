"""Installing a fresh deployment: the first organization and the first system administrator."""

from __future__ import annotations

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.directory.models import Membership, Organization, OrganizationKind, Person, Role, RoleGrant
from tacnghiep.directory.services import organizations as org_services
from tacnghiep.directory.services import people as people_services


@transaction.atomic
def create_root_organization(*, name: str, short_name: str, kind_code: str, valid_from: datetime.date) -> Organization:
    """The top of the tree. Used once, by the installer; there is no actor yet."""
    org = Organization(
        name=name, short_name=short_name, kind=OrganizationKind.objects.get(code=kind_code), valid_from=valid_from
    )
    org_services.clean_organization(org)
    org.save()
    org_services.place_in_tree(org)
    org.save(update_fields=["path", "depth"])
    audit.record("organization.create", organization=org, obj=org, details={"name": org.name, "bootstrap": True})
    return org


@transaction.atomic
def create_system_admin(*, username: str, full_name: str, password: str, organization: Organization) -> Person:
    """A person with the system administrator role; they must enroll TOTP at first sign-in."""
    person = Person(username=username, full_name=full_name)
    people_services.clean_person(person)
    try:
        validate_password(password, person)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    person.set_password(password)
    person.save()
    today = timezone.localdate()
    Membership.objects.create(person=person, organization=organization, is_primary=True, valid_from=today)
    RoleGrant.objects.create(person=person, organization=organization, role=Role.SYSTEM_ADMIN, valid_from=today)
    audit.record("person.create", actor=person, obj=person, details={"bootstrap": True, "role": Role.SYSTEM_ADMIN})
    return person


def root_organization() -> Organization:
    root = Organization.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("id").first()
    if root is None:
        raise ValidationError(_("There is no current top-level organization yet."))
    return root

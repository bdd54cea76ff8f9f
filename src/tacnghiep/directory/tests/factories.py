"""Factories for directory data. They place organizations in the tree like the services do."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

import factory
from django.contrib.auth.hashers import make_password

from tacnghiep.directory.models import (
    CatalogEntry,
    Membership,
    Organization,
    OrganizationKind,
    Person,
    Role,
    RoleGrant,
)
from tacnghiep.directory.services.organizations import clean_organization, place_in_tree
from tacnghiep.directory.services.people import clean_person

START = datetime.date(2025, 7, 1)
PASSWORD = "Mat-khau-thu-nghiem-2026"


@cache
def _hashed(raw: str) -> str:
    # Argon2 is deliberately slow; hash each test password once per run.
    return make_password(raw)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Đảng ủy xã Thử Nghiệm {n}")
    short_name = "ĐU"
    kind = factory.LazyFunction(lambda: OrganizationKind.objects.get(code="commune-committee"))
    valid_from = START
    parent = None

    @classmethod
    def _create(cls, model_class: type[Organization], *args: Any, **kwargs: Any) -> Organization:
        if isinstance(kwargs.get("kind"), str):
            kwargs["kind"] = OrganizationKind.objects.get(code=kwargs["kind"])
        org = model_class(**kwargs)
        clean_organization(org)
        org.save()
        place_in_tree(org)
        org.save(update_fields=["path", "depth"])
        return org


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.invalid")

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        password = kwargs.pop("password", PASSWORD)
        person = model_class(**kwargs)
        clean_person(person)
        person.password = _hashed(password) if password else make_password(None)
        person.save()
        return person


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = factory.LazyFunction(lambda: CatalogEntry.objects.get(catalog__code="positions", code="chuyen-vien"))
    is_primary = True
    valid_from = START


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.SPECIALIST
    valid_from = START


def staff(
    organization: Organization, role: str | None, *, role_at: Organization | None = None, **person: Any
) -> Person:
    """A person with a primary position in ``organization`` and (optionally) a role there or at ``role_at``."""
    member = PersonFactory(**person)
    MembershipFactory(person=member, organization=organization)
    if role:
        RoleGrantFactory(person=member, organization=role_at or organization, role=role)
    return member

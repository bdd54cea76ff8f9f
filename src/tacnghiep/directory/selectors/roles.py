from __future__ import annotations

from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, Person, RoleGrant


def actor_of(person: Person) -> Actor:
    """An actor for ``person`` with no delegation, cached on the instance for this request."""
    cached: Actor | None = getattr(person, "_tacnghiep_actor", None)
    if cached is None:
        cached = Actor(person=person)
        person._tacnghiep_actor = cached  # type: ignore[attr-defined]
    return cached


def is_system_admin(person: Person) -> bool:
    return person.is_authenticated and person.pk is not None and actor_of(person).is_system_admin


def is_any_admin(person: Person) -> bool:
    return person.is_authenticated and person.pk is not None and actor_of(person).is_admin


def second_factor_passed(user: object) -> bool:
    """Whether this session passed TOTP (django-otp's middleware adds ``is_verified`` to users)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def requires_second_factor(person: Person) -> bool:
    """Administrators must use TOTP; others must too once they have enrolled a device."""
    from django_otp import devices_for_user

    return is_any_admin(person) or any(True for _ in devices_for_user(person, confirmed=True))


def holders(role: str, organization: Organization) -> list[Person]:
    """Active people holding ``role`` at ``organization`` or above it (a grant covers its subtree)."""
    from django.utils import timezone

    from tacnghiep.directory import tree
    from tacnghiep.directory.actors import current_q

    return list(
        Person.objects.filter(
            is_active=True,
            pk__in=RoleGrant.objects.filter(
                current_q(timezone.localdate()), role=role, organization_id__in=tree.ancestor_ids(organization.path)
            ).values("person_id"),
        ).order_by("full_name", "pk")
    )

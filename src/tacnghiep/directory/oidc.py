"""OpenID Connect claims for other internal applications that sign users in with these accounts."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from tacnghiep.directory.actors import Actor, current_q
from tacnghiep.directory.models import Membership, Person


class Validator(OAuth2Validator):  # type: ignore[misc]
    oidc_claim_scope = OAuth2Validator.oidc_claim_scope | {
        "preferred_username": "profile",
        "organization": "organization",
        "organizations": "organization",
        "roles": "organization",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person: Person = request.user
        actor = Actor(person=person)
        memberships = list(
            Membership.objects.filter(current_q(actor.on), person=person)
            .select_related("organization", "position")
            .order_by("-is_primary", "organization__path")
        )
        primary = memberships[0].organization if memberships else None
        return {
            "name": person.full_name,
            "preferred_username": person.username,
            "email": person.email,
            "organization": _org(primary) if primary else None,
            "organizations": [
                {**_org(m.organization), "position": m.title or (m.position.name if m.position else "")}
                for m in memberships
            ],
            "roles": [{"role": g.role, "organization_id": g.organization_id} for g in actor.own_grants],
        }


def _org(org: Any) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "short_name": org.short_name,
        "code": org.code_qd20 or org.code_qcvn102,
    }

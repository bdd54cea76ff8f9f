"""OpenID Connect client applications (other internal systems signing users in here)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from oauth2_provider.models import get_application_model

from tacnghiep.core import audit
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.services._common import require_system_admin

Application = get_application_model()


def save_application(*, actor: Actor, application: Any) -> Any:
    require_system_admin(actor, "oidc.application.save")
    with transaction.atomic():
        created = application.pk is None
        application.save()
        audit.record("oidc.application.create" if created else "oidc.application.change", by=actor, obj=application)
        return application


def register_application(
    *,
    actor: Actor | None,
    name: str,
    redirect_uris: list[str],
    confidential: bool = True,
    skip_authorization: bool = True,
) -> tuple[Any, str]:
    """Register a client using the authorization-code flow with PKCE; returns it and its secret (shown once)."""
    if actor is not None:
        require_system_admin(actor, "oidc.application.save")
    with transaction.atomic():
        secret = Application.client_secret.field.get_default()  # type: ignore[attr-defined]
        application = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL if confidential else Application.CLIENT_PUBLIC,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(redirect_uris),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=skip_authorization,
            client_secret=secret,
        )
        application.save()
        audit.record("oidc.application.create", by=actor, obj=application)
        return application, secret


def delete_application(*, actor: Actor, application: Any) -> None:
    require_system_admin(actor, "oidc.application.delete")
    with transaction.atomic():
        audit.record("oidc.application.delete", by=actor, obj=application)
        application.delete()

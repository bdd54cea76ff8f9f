"""Domain events this app reacts to (listed here so the flow stays visible)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from oauth2_provider.signals import app_authorized

from tacnghiep.core import audit


def _oidc_token_issued(sender: Any, request: Any, token: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record(
            "oidc.token_issued",
            actor=token.user,
            object_type="oauth2_provider.application",
            object_id=str(token.application_id),
            object_repr=str(token.application)[:300],
        )


def connect() -> None:
    app_authorized.connect(_oidc_token_issued, dispatch_uid="tacnghiep.directory.oidc_token_issued")

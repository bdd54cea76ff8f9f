from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from tacnghiep.directory.models import Person
from tacnghiep.directory.selectors.roles import requires_second_factor, second_factor_passed
from tacnghiep.directory.services.auth import authenticate_api_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer tn_…`` with a token from the account page."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Person, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode().lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        token = authenticate_api_token(header[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is invalid, expired or revoked."))
        return token.person, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """Browser sessions, only once they passed the second factor when one is required."""

    def authenticate(self, request: Request) -> tuple[Person, None] | None:  # type: ignore[override]
        result = super().authenticate(request)
        if result is None:
            return None
        person = result[0]
        if requires_second_factor(person) and not second_factor_passed(person):
            raise exceptions.AuthenticationFailed(_("Two-factor verification is required."))
        return result

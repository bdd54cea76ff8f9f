"""Password rules beyond Django's: refuse words everyone in the organization would guess."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tacnghiep.core.text import fold

CONTEXT_WORDS = (
    "matkhau",
    "password",
    "tinhuy",
    "thanhuy",
    "dangbo",
    "dangcongsan",
    "vanphong",
    "tacnghiep",
    "vietnam",
    "lamdong",
    "123456",
    "qwerty",
)


class ContextWordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        folded = fold(password).replace(" ", "")
        for word in CONTEXT_WORDS:
            if word in folded and len(folded) - len(word) < 8:
                raise ValidationError(
                    _("This password is built on a word that is easy to guess (%(word)s).") % {"word": word},
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return _("Your password cannot be built on a common word such as the name of the organization.")


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with parameters from settings (docs/decisions/0001-argon2-parameters.md).

    Stored hashes carry their parameters; a hash made with other ones is
    upgraded at the person's next sign-in.
    """

    def params(self) -> Any:
        # Read at each use: Django caches hasher instances for the life of the process.
        self.time_cost = int(settings.ARGON2_TIME_COST)
        self.memory_cost = int(settings.ARGON2_MEMORY_KIB)
        self.parallelism = int(settings.ARGON2_PARALLELISM)
        return super().params()  # type: ignore[misc]  # missing from django-stubs

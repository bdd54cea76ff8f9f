"""Vietnamese text utilities.

All stored text is NFC. Search keys are *folded*: NFC, case-folded, tone and
other marks stripped, and đ mapped to d — Unicode decomposition alone does not
turn đ into d, so that step is explicit.
"""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """Return ``text`` in NFC with surrounding white space trimmed and inner runs collapsed.

    NUL characters are dropped: no text needs them and PostgreSQL refuses them.
    """
    return " ".join(unicodedata.normalize("NFC", text.replace("\x00", "")).split())


def fold(text: str) -> str:
    """Fold ``text`` for comparison and search: ``"Đắk Nông"`` → ``"dak nong"``."""
    decomposed = unicodedata.normalize("NFD", text.replace("\x00", "").casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("đ", "d").split())


def fold_tokens(text: str) -> list[str]:
    """Folded words of ``text``, for token-wise matching."""
    return fold(text).split()

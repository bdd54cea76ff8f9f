"""Typed readers for environment variables.

Every deployment setting comes from the environment (``TACNGHIEP_*``), parsed
here once at start-up so that a typo fails loudly instead of silently
falling back to a default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

PREFIX = "TACNGHIEP_"


class SettingsError(ValueError):
    """An environment variable holds a value that cannot be used."""


def raw(name: str) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else None


def get_str(name: str, default: str) -> str:
    return raw(name) or default


def get_bool(name: str, default: bool) -> bool:
    value = raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{PREFIX}{name}: expected a boolean, got {value!r}")


def get_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise SettingsError(f"{PREFIX}{name}: expected an integer, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise SettingsError(f"{PREFIX}{name}: must be at least {minimum}, got {number}")
    return number


def get_list(name: str, default: list[str]) -> list[str]:
    value = raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def get_path(name: str, default: Path) -> Path:
    value = raw(name)
    return Path(value).expanduser().resolve() if value else default


def get_choice(name: str, default: str, choices: set[str]) -> str:
    value = get_str(name, default)
    if value not in choices:
        raise SettingsError(f"{PREFIX}{name}: expected one of {sorted(choices)}, got {value!r}")
    return value


@dataclass(frozen=True)
class DatabaseURL:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] | None = None


def parse_database_url(url: str) -> DatabaseURL:
    """Parse ``sqlite:///abs/path.db`` or ``postgresql://user:pw@host:port/db?sslmode=…``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if not path:
            raise SettingsError(f"{PREFIX}DATABASE_URL: sqlite URL needs a path, got {url!r}")
        return DatabaseURL(engine="sqlite", name=path)
    if parsed.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return DatabaseURL(
            engine="postgresql",
            name=unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "",
            port=str(parsed.port or ""),
            options=options,
        )
    raise SettingsError(f"{PREFIX}DATABASE_URL: unsupported scheme {parsed.scheme!r}")

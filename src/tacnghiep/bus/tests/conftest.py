from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tacnghiep.bus import services
from tacnghiep.bus.models import Agency
from tacnghiep.exchange import hubprotocol


@pytest.fixture(autouse=True)
def _hub(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The hub's URLs and its own package folder and log key, per test."""
    folder = tmp_path_factory.mktemp("hub")
    settings.ROOT_URLCONF = "tacnghiep.bus.urls"
    settings.BUS_DIR = folder / "bus"
    settings.BUS_LOG_KEY_FILE = folder / "log-key.pem"
    settings.BUS_SECRET = "test-hub-key"
    settings.BUS_AGENCY_CACHE_SECONDS = 0
    from tacnghiep.bus import log

    log.signing_key.cache_clear()


Call = Callable[..., Any]


@pytest.fixture
def call(client: Client) -> Call:
    """A signed call as the national SDK makes it: parameters in signed headers, the package as the body."""

    def run(
        agency: Agency,
        endpoint: str,
        keys: dict[str, str] | None = None,
        body: bytes | None = None,
        secret: str | None = None,
        method: str = "post",
        system_id: str = "",
    ) -> Any:
        keys = dict(keys or {})
        if body is not None and endpoint == "sendEdoc":
            keys.setdefault(hubprotocol.HASH_FILE, hubprotocol.sdk_hex(hashlib.sha256(body).digest()))
        headers = hubprotocol.signed_headers(
            system_id or agency.code,
            secret if secret is not None else services.secret_for(agency),
            keys,
            timezone.now(),
        )
        headers.pop("User-Agent")
        response = getattr(client, method)(
            f"/{endpoint}", data=body or b"", content_type="application/octet-stream", headers=headers
        )
        if response.get("Content-Type", "").startswith("application/json"):
            content = b"".join(response.streaming_content) if response.streaming else response.content
            response.data = json.loads(content)
        return response

    return run

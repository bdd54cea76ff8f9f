"""A client of the national hub's REST protocol: talks to our hub (``tacnghiep bus serve``) or the national one."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.exchange import hubprotocol


class HubError(Exception):
    """The hub refused a call or could not be reached. ``retry`` says whether trying again later can help."""

    def __init__(self, message: str, *, retry: bool, status: int = 0) -> None:
        super().__init__(message)
        self.retry = retry
        self.status = status


@dataclass(frozen=True)
class Listed:
    doc_id: str
    message_type: str
    sender: str
    created: str
    recipient: str = ""


class HubClient:
    def __init__(self, base_url: str, system_id: str, secret: str, timeout: float = 30.0) -> None:
        if not base_url or not system_id or not secret:
            raise HubError(_("The connection to the hub is not configured."), retry=False)
        self.base_url = base_url.rstrip("/")
        self.system_id = system_id
        self.secret = secret
        self.timeout = timeout
        self.session = requests.Session()
        # The closed network: no proxies from the environment, only the configured peer.
        self.session.trust_env = False

    @classmethod
    def from_settings(cls) -> HubClient:
        return cls(
            settings.EXCHANGE_HUB_URL, settings.EXCHANGE_SYSTEM_ID, settings.EXCHANGE_SECRET, settings.EXCHANGE_TIMEOUT
        )

    def close(self) -> None:
        self.session.close()

    def _call(
        self, method: str, endpoint: str, keys: dict[str, str], body: bytes | IO[bytes] | None = None, **extra: Any
    ) -> requests.Response:
        headers = hubprotocol.signed_headers(self.system_id, self.secret, keys, timezone.now())
        if body is not None:
            headers["Content-Type"] = "application/octet-stream"
        try:
            response = self.session.request(
                method, f"{self.base_url}/{endpoint}", headers=headers, data=body, timeout=self.timeout, **extra
            )
        except requests.RequestException as exc:
            raise HubError(_("The hub cannot be reached: %(error)s") % {"error": str(exc)[:200]}, retry=True) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise HubError(
                _("The hub is not available (HTTP %(status)s).") % {"status": response.status_code},
                retry=True,
                status=response.status_code,
            )
        return response

    def _json(self, response: requests.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError as exc:
            raise HubError(_("The hub's answer is not JSON."), retry=True, status=response.status_code) from exc
        if not isinstance(data, dict):
            raise HubError(_("The hub's answer is not JSON."), retry=True, status=response.status_code)
        if data.get("status") != "OK" or str(data.get("ErrorCode", "0")) != "0":
            raise HubError(
                str(data.get("ErrorDesc") or _("The hub refused the call.")), retry=False, status=response.status_code
            )
        return data

    def send(self, package: bytes, message_type: str = "edoc", to: list[str] | None = None) -> str:
        """Send one package; returns the hub's DocId. Sending the same package again has no further effect."""
        keys = {
            "from": self.system_id,
            "servicetype": "eDoc",
            "messagetype": message_type,
            hubprotocol.HASH_FILE: hubprotocol.sdk_hex(hashlib.sha256(package).digest()),
        }
        if to:
            keys["to"] = json.dumps(to)
        data = self._json(self._call("POST", "sendEdoc", keys, package))
        return str(data.get("DocId", ""))

    def received(self, message_type: str = "edoc") -> list[Listed]:
        data = self._json(
            self._call("POST", "getReceivedEdocList", {"servicetype": "eDoc", "messagetype": message_type})
        )
        return [
            Listed(
                doc_id=str(row.get("docId", "")),
                message_type=str(row.get("messageType", message_type)),
                sender=str(row.get("from", "")),
                created=str(row.get("created_time", "")),
                recipient=str(row.get("to", "")),
            )
            for row in data.get("data") or []
            if isinstance(row, dict)
        ]

    def fetch(self, doc_id: str, target: Path) -> Path:
        """Download a package to ``target``: streamed (``downloadEdoc``), else as Base64 in JSON (``getEdoc``)."""
        response = self._call("GET", "downloadEdoc", {"docId": doc_id, "filePath": ""}, stream=True)
        with response:
            if response.status_code == 200 and response.headers.get("Content-Type", "").startswith(
                "application/octet-stream"
            ):
                with target.open("wb") as out:
                    for chunk in response.iter_content(1024 * 1024):
                        out.write(chunk)
                return target
        data = self._json(self._call("POST", "getEdoc", {"docId": doc_id, "filePath": ""}))
        try:
            target.write_bytes(base64.b64decode(str(data.get("data", "")), validate=True))
        except (binascii.Error, ValueError) as exc:
            raise HubError(_("The hub sent a package that is not valid Base64."), retry=True) from exc
        return target

    def update_status(self, doc_id: str, status: str, reason: str = "") -> None:
        keys = {"docId": doc_id, "status": status}
        if reason:
            keys["reason"] = reason[:200].encode("ascii", errors="replace").decode("ascii")
        self._json(self._call("POST", "updateStatus", keys))

    def sent(self, message_type: str = "edoc", doc_id: str = "") -> list[dict[str, Any]]:
        keys = {"servicetype": "eDoc", "messagetype": message_type}
        if doc_id:
            keys["docId"] = doc_id
        rows = self._json(self._call("POST", "getSentEdocList", keys)).get("data") or []
        return [row for row in rows if isinstance(row, dict)]

    def agencies(self, qd20: bool = False) -> list[dict[str, Any]]:
        rows = self._json(self._call("POST", "getAgenciesListQD20" if qd20 else "getAgenciesList", {})).get("data")
        return [row for row in rows or [] if isinstance(row, dict)]

    def register_agency(self, data: dict[str, str]) -> dict[str, Any]:
        headers_body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return self._json(self._call("POST", "registerAgency", {}, headers_body))

    def delete_agency(self, code: str) -> None:
        self._json(self._call("POST", "deleteAgency", {"AgencyCode": code}))

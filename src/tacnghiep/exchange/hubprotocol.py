"""The national hub's request signing, as its Java SDK does it (reference/standards.md §3.2).

The operation parameters travel as HTTP headers. Every header ``k`` is repeated
as ``XroadVnpt-k``; those repeated headers are serialised as one JSON object,
which is sent in ``XroadVnpt-sign-header`` together with its HMAC-SHA256 under
the system's secret (``XroadVnpt-hash-header``) and the list of signed names
(``XroadVnpt-sign-header-key``). The hub recomputes the HMAC and checks that each
signed value is the one actually sent, so no parameter can be changed in transit.

Both sides use this module: the exchange client signs, the hub verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

PREFIX = "XroadVnpt-"
SIGN_KEYS = "XroadVnpt-sign-header-key"
SIGN_JSON = "XroadVnpt-sign-header"
SIGN_HASH = "XroadVnpt-hash-header"
VERSION_HEADER = "XroadVnpt-version"
VERSION = "3.0.201608"
USER_AGENT = "JAVASDKAgent/1.0.0 XRoad/VPCP"
HASH_FILE = "hash-file"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class ProtocolError(Exception):
    """A request the hub must refuse; the message says why in Vietnamese."""


def sdk_hex(digest: bytes) -> str:
    """Hex without zero-padding each byte (0x0a → "a"), as the SDK writes ``hash-file``."""
    return "".join(format(b, "x") for b in digest)


def file_hash(stream: IO[bytes]) -> tuple[str, str, int]:
    """SHA-256 of a whole stream: (SDK form, ordinary hex, size). The stream is left at its end."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    raw = digest.digest()
    return sdk_hex(raw), raw.hex(), size


def timestamp(moment: datetime) -> str:
    """``ddMMyyyy'T'HHmmss+SSSS`` in Vietnam time: the SDK's format, where "+SSSS" is milliseconds, not an offset."""
    local = moment.astimezone(VIETNAM)
    return f"{local:%d%m%Y}T{local:%H%M%S}+{local.microsecond // 1000:04d}"


def parse_timestamp(value: str) -> datetime:
    try:
        day, rest = value.split("T", 1)
        clock, millis = rest.split("+", 1)
        moment = datetime.strptime(f"{day}{clock}", "%d%m%Y%H%M%S")
        return moment.replace(microsecond=int(millis) % 1000 * 1000, tzinfo=VIETNAM)
    except ValueError as exc:
        raise ProtocolError(
            _("The timestamp is not in the expected format: %(value)s") % {"value": value[:40]}
        ) from exc


def signed_headers(system_id: str, secret: str, keys: Mapping[str, str], moment: datetime) -> dict[str, str]:
    """The headers of one call: the parameters, their ``XroadVnpt-`` copies and the HMAC over them."""
    base = {"systemid": system_id, "timestamp": timestamp(moment), **keys}
    signed = {f"{PREFIX}{name}": value for name, value in base.items()}
    # ASCII-escaped JSON: HTTP header values cannot carry UTF-8 safely.
    document = json.dumps(signed, separators=(",", ":"))
    mac = hmac.new(secret.encode("utf-8"), document.encode("utf-8"), hashlib.sha256).hexdigest()
    headers = {**base, **signed}
    headers.update(
        {
            SIGN_KEYS: ";".join(signed),
            SIGN_JSON: document,
            SIGN_HASH: mac,
            VERSION_HEADER: VERSION,
            "User-Agent": USER_AGENT,
        }
    )
    return headers


@dataclass(frozen=True)
class SignedCall:
    system_id: str
    moment: datetime
    keys: dict[str, str]  # parameter name (lower case, without the prefix) → value


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        return None
    # WSGI hands us Latin-1 strings; the client sent UTF-8 bytes.
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def read_signed(headers: Mapping[str, str]) -> tuple[SignedCall, str, str]:
    """The signed parameters, the JSON document and the HMAC sent; the caller checks the HMAC with the secret.

    ``headers`` must look names up case-insensitively (Django's ``request.headers`` does).
    """
    document = _header(headers, SIGN_JSON)
    mac = _header(headers, SIGN_HASH)
    if not document or not mac:
        raise ProtocolError(_("The request is not signed (XroadVnpt-sign-header, XroadVnpt-hash-header)."))
    if len(document) > 16384:
        raise ProtocolError(_("The signed header is too long."))
    try:
        signed = json.loads(document)
    except ValueError as exc:
        raise ProtocolError(_("The signed header is not valid JSON.")) from exc
    if not isinstance(signed, dict) or not all(isinstance(v, str) for v in signed.values()):
        raise ProtocolError(_("The signed header is not valid JSON."))
    keys: dict[str, str] = {}
    for name, value in signed.items():
        if not name.startswith(PREFIX):
            raise ProtocolError(_("A signed parameter has an invalid name: %(name)s") % {"name": name[:60]})
        plain = name[len(PREFIX) :].lower()
        # Each signed value must be the one the request carries, so that nothing was swapped in transit.
        sent = _header(headers, name)
        if sent is None:
            sent = _header(headers, plain)
        if sent is not None and sent != value:
            raise ProtocolError(_("The value of parameter %(name)s differs from the signed value.") % {"name": plain})
        keys[plain] = value
    system_id = keys.pop("systemid", "")
    stamp = keys.pop("timestamp", "")
    if not system_id or not stamp:
        raise ProtocolError(_("The signed header has no systemid or timestamp."))
    return SignedCall(system_id=system_id, moment=parse_timestamp(stamp), keys=keys), document, mac


def mac_matches(document: str, mac: str, secret: str) -> bool:
    expected = hmac.new(secret.encode("utf-8"), document.encode("utf-8"), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, mac.strip().lower())


def hash_file_matches(sent: str, digest_hex: str) -> bool:
    """The SDK's unpadded hex, or the ordinary form that other clients send."""
    sent = sent.strip().lower()
    return hmac.compare_digest(sent, sdk_hex(bytes.fromhex(digest_hex))) or hmac.compare_digest(sent, digest_hex)

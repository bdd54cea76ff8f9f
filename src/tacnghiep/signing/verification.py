"""Reading the signatures of a PDF: integrity, chain of trust, changes after signing.

Pure pyHanko, no Django: it runs inside the bounded child process of
:mod:`tacnghiep.signing.sandbox` for every PDF that enters the system, and in the
``tacnghiep pdf verify`` command. The verdict of a file is the worst verdict of
its signatures, in the order a person reads it:

* ``invalid`` — the signed bytes changed, the signature does not match the
  certificate, the certificate was revoked, or the signature cannot be read;
* ``modified`` — the signature is intact, but the file was changed after
  signing in a way the signature does not allow (a page appended, an
  annotation or form appearance changed, a gap in the signed range);
* ``untrusted`` — intact and unchanged, but the certificate does not chain to a
  trust root the administrator configured;
* ``valid`` — all of the above hold;
* ``unsigned`` — the file has no signature.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import datetime
import hashlib
import io
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

UNSIGNED = "unsigned"
VALID = "valid"
UNTRUSTED = "untrusted"
MODIFIED = "modified"
INVALID = "invalid"
# Worst last: the file's verdict is the highest-ranked verdict of its signatures.
RANK = {UNSIGNED: 0, VALID: 1, UNTRUSTED: 2, MODIFIED: 3, INVALID: 4}


@dataclass
class Policy:
    """What the administrator configured: trust roots (DER) and how to treat revocation."""

    trust_roots: list[bytes] = field(default_factory=list)
    # "soft-fail": use revocation data that is embedded or reachable; "hard-fail": a
    # certificate whose status cannot be established fails.
    revocation_mode: str = "soft-fail"
    allow_fetching: bool = False
    # Fetched CRLs and OCSP answers are kept this long per process: one round trip per certificate.
    revocation_cache_seconds: int = 3600

    def to_json(self) -> dict[str, Any]:
        return {
            "trust_roots": [base64.b64encode(der).decode() for der in self.trust_roots],
            "revocation_mode": self.revocation_mode,
            "allow_fetching": self.allow_fetching,
            "revocation_cache_seconds": self.revocation_cache_seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Policy:
        return cls(
            trust_roots=[base64.b64decode(item) for item in data.get("trust_roots", [])],
            revocation_mode=str(data.get("revocation_mode", "soft-fail")),
            allow_fetching=bool(data.get("allow_fetching", False)),
            revocation_cache_seconds=int(data.get("revocation_cache_seconds", 3600)),
        )


def _name(cert: Any, attribute: str) -> str:
    try:
        value = cert.subject.native.get(attribute, "")
    except (AttributeError, ValueError):
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value or "")


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _context(policy: Policy, roots: list[Any], dss: Any = None) -> Any:
    """The trust roots and revocation policy, with what the document itself carries (B-LT: its DSS)."""
    from pyhanko_certvalidator import ValidationContext

    arguments: dict[str, Any] = {
        "trust_roots": roots,
        "allow_fetching": policy.allow_fetching,
        "revocation_mode": policy.revocation_mode,
    }
    if policy.allow_fetching:
        arguments["fetchers"] = _fetchers(policy.revocation_cache_seconds)
    if dss is not None:
        return dss.as_validation_context(arguments)
    return ValidationContext(**arguments)


def _fetchers(max_age: int) -> Any:
    """Fetchers shared by the validations of this thread, replaced when older than ``max_age`` seconds.

    pyHanko's fetchers remember what they fetched per certificate, so keeping them
    is the cache; a fresh set each hour picks up new CRLs and OCSP answers.
    """
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    now = time.monotonic()
    cached = getattr(_local, "fetchers", None)
    if cached is not None and now - cached[0] < max_age:
        return cached[2]
    if cached is not None:
        _run(cached[1].close())
        _open_backends.remove((_local.loop, cached[1]))
    backend = AIOHttpFetcherBackend(per_request_timeout=10)
    _local.fetchers = (now, backend, backend.get_fetchers())
    _open_backends.append((_loop(), backend))
    return _local.fetchers[2]


# Sessions of the cached fetchers, closed when the process ends (each on the loop that opened it).
_open_backends: list[tuple[asyncio.AbstractEventLoop, Any]] = []


@atexit.register
def _close_backends() -> None:
    for loop, backend in _open_backends:
        with contextlib.suppress(Exception):
            loop.run_until_complete(backend.close())
    _open_backends.clear()


def _dss(reader: Any) -> Any:
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError

    try:
        return DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None


def _verdict(status: Any) -> tuple[str, str]:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not status.intact:
        return INVALID, "digest_mismatch"
    if not status.valid:
        return INVALID, "bad_signature"
    if status.revoked:
        return INVALID, "revoked"
    if status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return MODIFIED, "coverage"
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and not status.docmdp_ok:
        return MODIFIED, "changed_after_signing"
    if not status.trusted:
        return UNTRUSTED, "untrusted_root"
    return VALID, ""


_MODIFICATION = {0: "none", 1: "signature_maintenance", 2: "form_filling", 3: "annotations", 4: "other"}


def _describe(embedded: Any, status: Any) -> dict[str, Any]:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    verdict, reason = _verdict(status)
    cert = status.signing_cert
    timestamp = status.timestamp_validity
    level = status.modification_level
    return {
        "field": embedded.field_name,
        "status": verdict,
        "reason": reason,
        "signer": _name(cert, "common_name"),
        "organization": _name(cert, "organization_name"),
        "certificate_sha256": hashlib.sha256(cert.dump()).hexdigest(),
        "certificate": base64.b64encode(cert.dump()).decode(),
        "signing_time": _iso(status.signer_reported_dt),
        "timestamp": _iso(timestamp.timestamp) if timestamp is not None else None,
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "covers_whole_file": status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        "modification": _MODIFICATION.get(level.value, "other") if level is not None else None,
    }


def _unreadable(field_name: str, reason: str) -> dict[str, Any]:
    return {
        "field": field_name,
        "status": INVALID,
        "reason": reason,
        "signer": "",
        "organization": "",
        "certificate_sha256": "",
        "certificate": "",
        "signing_time": None,
        "timestamp": None,
        "intact": False,
        "valid": False,
        "trusted": False,
        "covers_whole_file": False,
        "modification": None,
    }


class Unreadable(Exception):
    """The file claims signatures but its structure cannot be read."""


_local = threading.local()


def _loop() -> asyncio.AbstractEventLoop:
    # One loop per thread for its life: asyncio.run() per signature costs a loop each time.
    loop = getattr(_local, "loop", None)
    if loop is None:
        loop = _local.loop = asyncio.new_event_loop()
    return loop


def _run(coro: Any) -> Any:
    return _loop().run_until_complete(coro)


def check_structure(data: bytes) -> None:
    """Refuse a file whose cross-references only a lenient reader can repair (pypdf rebuilds them silently)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        int(reader.root["/Pages"]["/Count"])
    except (PdfError, KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError) as exc:
        raise Unreadable(str(exc)) from exc


def verify(data: bytes, policy: Policy) -> dict[str, Any]:
    """The verdict of one PDF and of each of its signatures, as plain data (stored as JSON)."""
    from tacnghiep.signing.loops import outside_event_loop

    return outside_event_loop(_verify, data, policy)


def _verify(data: bytes, policy: Policy) -> dict[str, Any]:
    if b"/ByteRange" not in data:
        return {"status": UNSIGNED, "signatures": []}
    from tacnghiep.signing import speedups

    speedups.install()
    from asn1crypto import x509  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature

    roots = [x509.Certificate.load(der) for der in policy.trust_roots]
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
        dss = _dss(reader)
    except (PdfError, KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError) as exc:
        log.info("signatures unreadable: %s", exc)
        raise Unreadable(str(exc)) from exc
    results: list[dict[str, Any]] = []
    for item in embedded:
        try:
            context = _context(policy, roots, dss)
            status = _run(async_validate_pdf_signature(item, signer_validation_context=context))
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("signature %s unreadable: %s", item.field_name, exc)
            results.append(_unreadable(item.field_name, "unreadable"))
            continue
        results.append(_describe(item, status))
    if not results:
        return {"status": UNSIGNED, "signatures": []}
    worst = max((r["status"] for r in results), key=RANK.__getitem__)
    return {"status": worst, "signatures": results}

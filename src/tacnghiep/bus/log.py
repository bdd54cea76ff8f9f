"""The hub's message log: every package and status, hash-chained and signed.

Each record's hash covers its fields and the previous record's hash, so that
deleting, reordering or editing one breaks the chain from that record on; each
hash is signed with the hub's Ed25519 log key, so that a chain rebuilt by
someone without the key does not verify either. Writers are serialized (a
PostgreSQL advisory lock, SQLite's IMMEDIATE transactions) and append inside
the transaction of the change they describe.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.bus.models import LogRecord

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x74616362  # "tacb": the hub log's own chain lock


def _digest(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@cache
def signing_key() -> Ed25519PrivateKey:
    """The log key from ``TACNGHIEP_BUS_LOG_KEY_FILE``; created there (mode 0600) on first use."""
    path = Path(settings.BUS_LOG_KEY_FILE)
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # O_EXCL: two processes starting together must not both write a key.
        try:
            with path.open("xb") as out:
                out.write(pem)
            path.chmod(0o600)
        except FileExistsError:
            pass
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path}: the hub's log key must be an Ed25519 private key")
    return loaded


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def append(
    event: str,
    *,
    doc_id: str = "",
    agency: str = "",
    counterparts: list[str] | None = None,
    sha256: str = "",
    details: dict[str, Any] | None = None,
) -> LogRecord:
    """Append one record in the current transaction (or a new one)."""
    key = signing_key()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        prev = LogRecord.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        record = LogRecord(
            occurred_at=timezone.now(),
            event=event,
            doc_id=doc_id,
            agency=agency,
            counterparts=",".join(counterparts or [])[:2000],
            sha256=sha256,
            details=json.loads(json.dumps(details or {}, default=str)),
            prev_hash=prev,
        )
        record.hash = _digest(record.chained_fields())
        record.key_id = key_id(key.public_key())
        record.signature = base64.b64encode(key.sign(bytes.fromhex(record.hash))).decode("ascii")
        record.save(force_insert=True)
    return record


@dataclass(frozen=True)
class LogReport:
    checked: int
    first_bad_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify(public_keys: list[Ed25519PublicKey] | None = None, batch_size: int = 5000) -> LogReport:
    """Walk the log in order; name the first record whose link, content or signature is wrong."""
    keys = {key_id(k): k for k in (public_keys or [signing_key().public_key()])}
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        batch = list(LogRecord.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return LogReport(checked)
        for record in batch:
            if record.prev_hash != expected_prev:
                return LogReport(checked, record.id, _("link: the previous record was deleted, moved or altered"))
            if _digest(record.chained_fields()) != record.hash:
                return LogReport(checked, record.id, _("content: the record was altered after it was written"))
            public = keys.get(record.key_id)
            if public is None:
                return LogReport(checked, record.id, _("signature: the signing key is not trusted"))
            try:
                public.verify(base64.b64decode(record.signature), bytes.fromhex(record.hash))
            except (InvalidSignature, ValueError):
                return LogReport(checked, record.id, _("signature: the signature does not match"))
            expected_prev = record.hash
            checked += 1
            last_id = record.id

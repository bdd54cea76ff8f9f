"""Writing and verifying the audit log.

Services call :func:`record` inside their transaction, so the record commits or
rolls back with the change it describes. Records form a hash chain; writers
are serialized (PostgreSQL advisory lock, SQLite's IMMEDIATE transactions) so
that each record links to the one committed just before it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from tacnghiep.core import context
from tacnghiep.core.models import AuditOutcome, AuditRecord

if TYPE_CHECKING:
    from tacnghiep.directory.actors import Actor
    from tacnghiep.directory.models import Organization, Person

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x7461636E  # "tacn": one advisory lock for the whole chain


def _digest(fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _label(person: Person | None) -> str:
    if person is None:
        return ""
    return f"{person.full_name} ({person.username})"[:200]


def _sanitize(value: str, limit: int) -> str:
    # Control characters (newlines, ANSI escapes) would let a crafted name forge log lines.
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in value)[:limit]


def record(
    action: str,
    *,
    by: Actor | None = None,
    actor: Person | None = None,
    acting_for: Person | None = None,
    organization: Organization | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one audit record inside the current transaction (or a new one)."""
    ctx = context.current()
    if by is not None:
        actor, acting_for = by.person, by.acting_for
    elif actor is None:
        actor, acting_for = ctx.person, ctx.acting_for
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        prev = AuditRecord.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        entry = AuditRecord(
            occurred_at=timezone.now(),
            actor=actor,
            actor_label=_label(actor),
            acting_for=acting_for,
            acting_for_label=_label(acting_for),
            organization_id=organization.pk if organization is not None else None,
            action=action,
            object_type=object_type,
            object_id=_sanitize(object_id, 64),
            object_repr=_sanitize(object_repr, 300),
            outcome=outcome,
            channel=ctx.channel,
            request_id=ctx.request_id,
            client_address=ctx.client_address,
            details=details or {},
            prev_hash=prev,
        )
        # JSON round-trip so that the hash covers exactly what the database returns.
        entry.details = json.loads(json.dumps(entry.details, default=str))
        entry.hash = _digest(entry.chained_fields())
        entry.save(force_insert=True)
    if outcome == AuditOutcome.DENIED:
        ctx.denial_recorded = True
    return entry


def record_denied(action: str, **kwargs: Any) -> AuditRecord:
    return record(action, outcome=AuditOutcome.DENIED, **kwargs)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in id order; report the first record whose link or content is wrong."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditRecord.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return ChainReport(checked=checked)
        for entry in batch:
            if entry.prev_hash != expected_prev:
                return ChainReport(checked, entry.id, "link: previous record missing, moved or altered")
            if _digest(entry.chained_fields()) != entry.hash:
                return ChainReport(checked, entry.id, "content: record altered after it was written")
            expected_prev = entry.hash
            checked += 1
            last_id = entry.id

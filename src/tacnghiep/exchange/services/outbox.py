"""The outbox: packages written in the transaction of what they report, sent afterwards by the relay.

A row is claimed for a short lease before it is sent, so two relays never send
the same row at once; if a relay dies after sending and before recording it,
the lease runs out and the row is sent again, which the hub treats as the same
package (same DocumentId and business type, or the same status bytes).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tacnghiep.documents.models import DeliveryState, OutgoingDocument, Recipient
from tacnghiep.documents.services import external
from tacnghiep.exchange import edxml, packaging
from tacnghiep.exchange.hubclient import HubClient, HubError
from tacnghiep.exchange.models import InboundPackage, OutboundPackage, OutboxState

logger = logging.getLogger(__name__)

# Retrying a hub that is down or refusing costs one request per package per minute at most.
MAX_BACKOFF = timedelta(seconds=60)


def _lease() -> timedelta:
    """How long a claimed row is left to its relay: longer than a send can take (two timeouts)."""
    return timedelta(seconds=2 * settings.EXCHANGE_TIMEOUT)


def _wake_relay() -> None:
    from tacnghiep.exchange import tasks

    transaction.on_commit(lambda: tasks.relay_outbox.delay(), robust=True)


def enqueue_document(document: OutgoingDocument, recipients: list[Recipient], business: str) -> OutboundPackage:
    """The sender documents calls while issuing or revoking (registered in ExchangeConfig.ready)."""
    codes = [packaging.organ_id(r.organization) for r in recipients if r.organization is not None]
    now = timezone.now()
    row = OutboundPackage.objects.create(
        message_type="edoc",
        outgoing=document,
        business=business,
        recipients=codes,
        document_id=packaging.document_id(document),
        moment=now,
        next_attempt_at=now,
    )
    _wake_relay()
    return row


def enqueue_status(
    inbound: InboundPackage, code: str, description: str, staff: dict[str, str] | None = None
) -> OutboundPackage:
    """A status about a document we received, back to its sender (inside the caller's transaction)."""
    now = timezone.now()
    row = OutboundPackage.objects.create(
        message_type="status",
        inbound=inbound,
        status_code=code,
        description=description[:1000],
        staff=staff or {},
        recipients=[inbound.sender_code],
        document_id=inbound.document_id,
        moment=now,
        next_attempt_at=now,
    )
    _wake_relay()
    return row


def _organization(inbound: InboundPackage) -> edxml.Organization:
    organization = inbound.organization
    if organization is None:
        return edxml.Organization(organ_id=inbound.to_code)
    return edxml.Organization(organ_id=packaging.organ_id(organization) or inbound.to_code, name=organization.name)


def build(row: OutboundPackage, folder: Path) -> bytes:
    """The package's bytes; a status package is built the same way every time (its moment is stored)."""
    if row.message_type == "status":
        inbound = row.inbound
        assert inbound is not None
        answering = {
            "OrganId": inbound.sender_code,
            "Code": inbound.notation,
            "PromulgationDate": inbound.fields.get("PromulgationDate", ""),
            "DocumentId": inbound.document_id,
        }
        package = packaging.status_package(
            sender=_organization(inbound),
            answering=answering,
            code=row.status_code,
            description=row.description,
            staff=row.staff,
            moment=row.moment,
        )
        return edxml.build(package)
    assert row.outgoing is not None
    package = packaging.document_package(row.outgoing, folder, recipients=row.recipients, business=row.business)
    return edxml.build(package)


def _claim(row: OutboundPackage) -> bool:
    now = timezone.now()
    claimed = OutboundPackage.objects.filter(
        pk=row.pk, state=OutboxState.PENDING, next_attempt_at=row.next_attempt_at
    ).update(next_attempt_at=now + _lease())
    return claimed == 1


def _recipients(row: OutboundPackage) -> list[Recipient]:
    if row.outgoing_id is None:
        return []
    found = []
    for recipient in Recipient.objects.filter(
        document_id=row.outgoing_id, organization__is_external=True
    ).select_related("organization"):
        if recipient.organization is not None and packaging.organ_id(recipient.organization) in row.recipients:
            found.append(recipient)
    return found


def _sent(row: OutboundPackage, doc_id: str) -> None:
    with transaction.atomic():
        OutboundPackage.objects.filter(pk=row.pk).update(
            state=OutboxState.SENT, hub_doc_id=doc_id[:64], sent_at=timezone.now(), last_error=""
        )
        if row.message_type == "edoc" and row.business != "revoke":
            for recipient in _recipients(row):
                external.record_remote_status(recipient, DeliveryState.SENT)


def _failed(row: OutboundPackage, error: HubError) -> None:
    attempts = row.attempts + 1
    with transaction.atomic():
        if error.retry:
            backoff = min(timedelta(seconds=2 ** min(attempts, 10)), MAX_BACKOFF)
            OutboundPackage.objects.filter(pk=row.pk).update(
                attempts=attempts, next_attempt_at=timezone.now() + backoff, last_error=str(error)[:500]
            )
            return
        OutboundPackage.objects.filter(pk=row.pk).update(
            state=OutboxState.FAILED, attempts=attempts, last_error=str(error)[:500]
        )
        for recipient in _recipients(row):
            external.record_remote_status(recipient, DeliveryState.FAILED, str(error)[:500])


@dataclass
class RelayReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def relay(client: HubClient, limit: int = 200) -> RelayReport:
    """Send what is due, oldest first.

    Packages about the same document keep their order: one that is not due (or
    failed just now) holds back the later ones. When the hub cannot be reached
    the pass stops, so that an outage costs one request, not one per package.
    """
    report = RelayReport()
    held: set[tuple[str, int | None]] = set()
    now = timezone.now()
    pending = OutboundPackage.objects.filter(state=OutboxState.PENDING).select_related(
        "outgoing", "inbound__organization"
    )
    for row in pending.order_by("id")[:limit]:
        subject = ("edoc", row.outgoing_id) if row.message_type == "edoc" else ("status", row.inbound_id)
        if subject in held:
            continue
        if row.next_attempt_at > now or not _claim(row):
            held.add(subject)
            continue
        folder = Path(tempfile.mkdtemp(prefix="outbox-"))
        try:
            body = build(row, folder)
            doc_id = client.send(body, row.message_type, to=row.recipients)
        except HubError as exc:
            logger.warning("exchange: package %s not sent: %s", row.pk, exc)
            _failed(row, exc)
            held.add(subject)
            if not exc.retry:
                report.failed += 1
                continue
            report.retrying += 1
            if exc.status == 0:
                break
            continue
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        _sent(row, doc_id)
        report.sent += 1
    return report

"""Taking packages from the hub: documents for our clerks, statuses about documents we sent.

For each package the hub lists: download, parse, apply in one transaction
(with the inbox row that makes a second delivery harmless), then acknowledge
``done`` to the hub, or ``fail`` with the reason when the package cannot be
used. A crash between the commit and the acknowledgement only means the
package is listed again, found in the inbox, and acknowledged.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, uploads
from tacnghiep.core.notifications import notify
from tacnghiep.directory.models import Organization, Role
from tacnghiep.directory.selectors import roles as role_selectors
from tacnghiep.documents.models import DeliveryState, Recipient
from tacnghiep.documents.services import external
from tacnghiep.exchange import archives, edxml, packaging
from tacnghiep.exchange.hubclient import HubClient, HubError, Listed
from tacnghiep.exchange.models import InboundFile, InboundPackage, InboxState, OutboundPackage
from tacnghiep.exchange.services import outbox

logger = logging.getLogger(__name__)

# What a recipient's status means for our outgoing document's delivery.
STATUS_STATES = {
    "01": DeliveryState.ARRIVED,
    "02": DeliveryState.REFUSED,
    "03": DeliveryState.REGISTERED,
    "04": DeliveryState.ASSIGNED,
    "05": DeliveryState.PROCESSING,
    "06": DeliveryState.DONE,
    "15": DeliveryState.WITHDRAWN,
}


class Unusable(Exception):
    """The package cannot be applied here; the hub is told ``fail`` with this reason."""


def local_organization(code: str) -> Organization | None:
    if not code:
        return None
    return (
        Organization.objects.filter(valid_to__isnull=True, is_external=False)
        .filter(Q(code_qcvn102=code) | Q(code_qd20=code))
        .first()
    )


@dataclass
class PollReport:
    documents: int = 0
    statuses: int = 0
    refused: int = 0


def poll(client: HubClient) -> PollReport:
    """Take everything the hub lists for us: documents first, then statuses."""
    report = PollReport()
    for message_type in ("edoc", "status"):
        for listed in client.received(message_type):
            try:
                if receive(client, listed):
                    if message_type == "edoc":
                        report.documents += 1
                    else:
                        report.statuses += 1
            except Unusable as exc:
                logger.warning("exchange: package %s refused: %s", listed.doc_id, exc)
                client.update_status(listed.doc_id, "fail", str(exc))
                report.refused += 1
    return report


def receive(client: HubClient, listed: Listed) -> bool:
    """Apply one listed package; returns False when it was already applied (then only acknowledged)."""
    if InboundPackage.objects.filter(hub_doc_id=listed.doc_id).exists():
        client.update_status(listed.doc_id, "done")
        return False
    folder = Path(tempfile.mkdtemp(prefix="inbox-"))
    try:
        path = client.fetch(listed.doc_id, folder / "package.edxml")
        try:
            with path.open("rb") as stream:
                package = edxml.parse(stream, folder=folder)
        except edxml.EdxmlError as exc:
            raise Unusable(str(exc)) from exc
        found = edxml.problems(package)
        if found:
            raise Unusable("; ".join(found)[:400])
        try:
            if package.kind == "status":
                _apply_status(listed, package)
            else:
                accept_document(listed, package)
        except IntegrityError:
            # The same document reached us under another hub id (a re-send): one effect only.
            logger.info("exchange: package %s repeats one already received", listed.doc_id)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    try:
        client.update_status(listed.doc_id, "done")
    except HubError:
        # Applied; the hub will list it again and it will be acknowledged then.
        logger.warning("exchange: acknowledgement of %s failed; it will be repeated", listed.doc_id)
    return True


def _fields(package: edxml.Package) -> dict[str, str]:
    fields = dict(package.fields)
    fields["SenderName"] = package.sender.name
    if package.business.get("BussinessDocReason"):
        fields["BussinessDocReason"] = package.business["BussinessDocReason"]
    if package.business.get("DocumentId"):
        fields["BussinessDocumentId"] = package.business["DocumentId"]
    return fields


def accept_document(listed: Listed, package: edxml.Package) -> None:
    to_code = listed.recipient
    codes = [to_code] if to_code else [o.organ_id for o in package.recipients]
    organization = next((o for o in map(local_organization, codes) if o is not None), None)
    if organization is None:
        raise Unusable(_("None of the recipients is an organization of this system."))
    to_code = to_code or packaging.organ_id(organization)
    business = package.business.get("BussinessDocType", "0") or "0"
    with transaction.atomic():
        inbound = InboundPackage(
            hub_doc_id=listed.doc_id,
            message_type="edoc",
            sender_code=package.sender.organ_id,
            sender_name=package.sender.name[:300],
            to_code=to_code,
            document_id=package.document_id[:300],
            business_type=business,
            organization=organization,
            fields=_fields(package),
            received_at=timezone.now(),
        )
        earlier = (
            InboundPackage.objects.select_for_update()
            .filter(
                message_type="edoc",
                sender_code=inbound.sender_code,
                to_code=to_code,
                document_id=package.business.get("DocumentId", inbound.document_id),
            )
            .exclude(business_type="1")
            .order_by("-id")
            .first()
        )
        if business == "1":
            _revoke(inbound, earlier)
            return
        inbound.supersedes = earlier if business in ("2", "3") else None
        inbound.state = InboxState.WAITING
        notes = _keep_files(inbound, package)
        inbound.note = "; ".join(notes)[:1000]
        inbound.save(update_fields=["note"])
        outbox.enqueue_status(inbound, "01", _("Arrived at the recipient's system."))
        inbound.reported = "01"
        inbound.save(update_fields=["reported"])
        for clerk in role_selectors.holders(Role.CLERK, organization):
            notify(
                clerk,
                key=f"inbound:{inbound.pk}",
                text=_("A document arrived over the exchange from %(issuer)s: %(notation)s")
                % {"issuer": inbound.sender_name or inbound.sender_code, "notation": inbound.notation},
                link=reverse("exchange:inbound", args=[inbound.pk]),
            )
        audit.record(
            "exchange.receive",
            organization=organization,
            obj=inbound,
            details={"hub": listed.doc_id, "document_id": inbound.document_id, "business": business},
        )


def _keep_files(inbound: InboundPackage, package: edxml.Package) -> list[str]:
    """Check and keep each attachment as any upload is checked (signatures judged); note what was refused."""
    inbound.save()
    notes: list[str] = []
    files: list[tuple[str, Path]] = []
    for index, attachment in enumerate(package.attachments):
        if attachment.path is None:
            continue
        name = uploads.safe_name(attachment.name or f"tep-{index + 1}")
        if attachment.is_zip or name.lower().endswith(".zip"):
            try:
                files.extend(archives.unwrap(attachment.path, Path(tempfile.mkdtemp(dir=attachment.path.parent))))
            except archives.ArchiveRefused as exc:
                notes.append(f"{name}: {exc}")
            continue
        files.append((name, attachment.path))
    for position, (name, path) in enumerate(files):
        try:
            inspected = uploads.inspect(uploads.NamedPath(name, path), uploads.ATTACHMENTS)
        except ValidationError as exc:
            notes.append(" ".join(exc.messages))
            continue
        try:
            stored = uploads.store(inspected)
        finally:
            inspected.content.close()
        InboundFile.objects.create(package=inbound, file=stored, name=name, position=position)
    return notes


def _revoke(inbound: InboundPackage, earlier: InboundPackage | None) -> None:
    """Thu hồi (NĐ 30): a waiting document leaves the clerk's list; a registered one loses its files."""
    reason = inbound.fields.get("BussinessDocReason", "") or _("Revoked by the issuer.")
    inbound.state = InboxState.APPLIED
    inbound.supersedes = earlier
    inbound.note = reason[:1000] if earlier is not None else _("Nothing to revoke: the document was not received.")
    inbound.save()
    if earlier is not None:
        if earlier.state == InboxState.WAITING:
            earlier.state = InboxState.WITHDRAWN
            earlier.note = reason[:1000]
            earlier.save(update_fields=["state", "note"])
        elif earlier.incoming is not None:
            external.withdraw_incoming(earlier.incoming, reason)
            earlier.state = InboxState.WITHDRAWN
            earlier.save(update_fields=["state"])
    audit.record(
        "exchange.revoke",
        organization=inbound.organization,
        obj=inbound,
        details={"document_id": inbound.document_id, "applied_to": earlier.pk if earlier else None},
    )


def _apply_status(listed: Listed, package: edxml.Package) -> None:
    code = package.status_code
    answering = package.response_for[0] if package.response_for else {}
    document_id = answering.get("DocumentId", "")
    sender = package.sender.organ_id
    with transaction.atomic():
        inbound = InboundPackage.objects.create(
            hub_doc_id=listed.doc_id,
            message_type="status",
            sender_code=sender,
            sender_name=package.sender.name[:300],
            document_id=document_id[:300],
            status_code=code,
            fields=_fields(package),
            state=InboxState.APPLIED,
            received_at=timezone.now(),
        )
        if code == "13":
            _recall_requested(inbound, package)
            return
        sent = (
            OutboundPackage.objects.filter(message_type="edoc", document_id=document_id, outgoing__isnull=False)
            .select_related("outgoing")
            .first()
        )
        recipient = None
        if sent is not None:
            recipient = next(
                (
                    r
                    for r in Recipient.objects.filter(
                        document=sent.outgoing, organization__isnull=False
                    ).select_related("organization")
                    if r.organization is not None and sender in (r.organization.code_qcvn102, r.organization.code_qd20)
                ),
                None,
            )
        if recipient is None or (code not in STATUS_STATES and code != "16"):
            inbound.state = InboxState.IGNORED
            inbound.note = _("No document of ours matches this status.")
            inbound.save(update_fields=["state", "note"])
            return
        description = package.fields.get("Description", "")
        if code == "16":
            text = _("%(org)s refused to give the document back: %(reason)s") % {
                "org": recipient.organization,
                "reason": description,
            }
            external.note_remote(recipient, text)
            return
        external.record_remote_status(recipient, STATUS_STATES[code], description if code in ("02", "15") else "")


def _recall_requested(inbound: InboundPackage, package: edxml.Package) -> None:
    """The issuer asks for a document back (13): the clerk answers 15 or 16."""
    received = (
        InboundPackage.objects.select_for_update()
        .filter(message_type="edoc", sender_code=inbound.sender_code, document_id=inbound.document_id)
        .exclude(business_type="1")
        .order_by("-id")
        .first()
    )
    if received is None:
        inbound.state = InboxState.IGNORED
        inbound.note = _("The document asked back was not received here.")
        inbound.save(update_fields=["state", "note"])
        return
    received.recall_reason = (package.fields.get("Description", "") or _("No reason given."))[:1000]
    received.recall_answer = ""
    received.save(update_fields=["recall_reason", "recall_answer"])
    if received.organization is not None:
        for clerk in role_selectors.holders(Role.CLERK, received.organization):
            notify(
                clerk,
                key=f"recall:{received.pk}",
                text=_("%(issuer)s asks for %(notation)s back: %(reason)s")
                % {
                    "issuer": received.sender_name,
                    "notation": received.notation,
                    "reason": received.recall_reason[:200],
                },
                link=reverse("exchange:inbound", args=[received.pk]),
            )
    audit.record("exchange.recall_requested", organization=received.organization, obj=received)

"""Every change the hub makes: accepting packages, acknowledgements, agencies, re-driving dead letters.

Each change is one transaction with one message-log record (``bus.log``); the
administrators' changes also write an audit record.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.bus import log, selectors, storage
from tacnghiep.bus.models import Agency, AgencySource, Delivery, DeliveryState, MessageType, Package
from tacnghiep.core import audit
from tacnghiep.exchange import edxml, hubprotocol

logger = logging.getLogger(__name__)


class BusError(Exception):
    """A request the hub refuses; ``status`` is the HTTP status, the message is for the caller."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --- Credentials ----------------------------------------------------------------------------------------------------


def hub_key() -> bytes:
    if not settings.BUS_SECRET:
        raise BusError(_("The hub has no key (TACNGHIEP_BUS_SECRET)."), 503)
    return settings.BUS_SECRET.encode("utf-8")


def secret_for(agency: Agency) -> str:
    message = f"{agency.secret_salt}:{agency.secret_version}".encode()
    return hmac.new(hub_key(), message, hashlib.sha256).hexdigest()[:40]


def authenticate(headers: dict[str, str] | object) -> tuple[Agency, hubprotocol.SignedCall]:
    """The agency that signed this request, or BusError 401/403. ``headers`` is case-insensitive."""
    try:
        call, document, mac = hubprotocol.read_signed(headers)  # type: ignore[arg-type]
    except hubprotocol.ProtocolError as exc:
        raise BusError(str(exc), 401) from exc
    agency = selectors.known_agency(call.system_id)
    if agency is None or not hubprotocol.mac_matches(document, mac, secret_for(agency)):
        logger.warning("hub: refused signature for systemid %r", call.system_id[:40])
        raise BusError(_("Unknown system or wrong signature."), 401)
    skew = abs((timezone.now() - call.moment).total_seconds())
    if skew > settings.BUS_CLOCK_SKEW_SECONDS:
        logger.warning("hub: stale timestamp from %s (%.0f s)", agency.code, skew)
        raise BusError(_("The request's timestamp is too far from the hub's clock."), 401)
    return agency, call


# --- Accepting packages ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    package: Package
    created: bool


def _recipients(codes: list[str]) -> list[Agency]:
    found: dict[int, Agency] = {}
    unknown: list[str] = []
    for code in codes:
        agency = selectors.known_agency(code)
        if agency is None:
            unknown.append(code)
        else:
            found[agency.pk] = agency
    if unknown:
        raise BusError(_("Unknown recipients: %(codes)s") % {"codes": ", ".join(sorted(set(unknown)))[:300]}, 422)
    if not found:
        raise BusError(_("The package has no recipient."), 422)
    return list(found.values())


def _read(path: Path) -> edxml.Package:
    with path.open("rb") as stream:
        try:
            return edxml.parse(stream, keep_attachments=False, max_bytes=settings.BUS_MAX_BYTES)
        except edxml.EdxmlError as exc:
            raise BusError(str(exc), 422) from exc


def _dedup_key(message_type: str, package: edxml.Package, sha256: str) -> str:
    # A document is the same document when DocumentId and business type agree; a status
    # package only when its bytes do (a new status about the same document is news).
    if message_type == MessageType.EDOC and package.document_id:
        return f"{package.document_id}|{package.business.get('BussinessDocType', '0')}"[:400]
    return sha256


def accept(sender: Agency, message_type: str, to: list[str], spooled: Path, sha256: str, size: int) -> Accepted:
    """Validate a spooled package, store it durably and create one delivery per recipient.

    A repeated send (same sender, same key) creates nothing new, except deliveries
    to recipients the first send did not name.
    """
    if message_type not in MessageType.values:
        raise BusError(_("Unknown message type: %(type)s") % {"type": message_type[:20]}, 400)
    parsed = _read(spooled)
    expected_kind = "status" if message_type == MessageType.STATUS else "document"
    if parsed.kind != expected_kind:
        raise BusError(_("The package does not match the message type %(type)s.") % {"type": message_type}, 422)
    acting = selectors.acting_as(sender, parsed.sender.organ_id)
    if acting is None:
        raise BusError(_("The package's sender (From) is not the calling system."), 403)
    sender = acting
    if found := edxml.problems(parsed):
        raise BusError("; ".join(found)[:500], 422)
    codes = to or (
        [o.organ_id for o in parsed.recipients]
        if parsed.kind == "document"
        else [r.get("OrganId", "") for r in parsed.response_for]
    )
    recipients = _recipients([c for c in codes if c])
    key = _dedup_key(message_type, parsed, sha256)
    storage.keep(spooled, Package.storage_name_for(sha256))
    for attempt in range(3):
        try:
            # Most sends are new: insert straight away, and look for the earlier package only
            # when the unique key says there is one (or a concurrent identical send won).
            return _record(sender, message_type, parsed, key, recipients, sha256, size, assume_new=attempt == 0)
        except IntegrityError:
            continue
    raise BusError(_("The hub is busy; send again."), 503)


def _record(
    sender: Agency,
    message_type: str,
    parsed: edxml.Package,
    key: str,
    recipients: list[Agency],
    sha256: str,
    size: int,
    assume_new: bool,
) -> Accepted:
    now = timezone.now()
    with transaction.atomic():
        package = (
            None
            if assume_new
            else Package.objects.filter(sender=sender, message_type=message_type, dedup_key=key).first()
        )
        created = package is None
        if package is None:
            package = Package.objects.create(
                doc_id=str(uuid.uuid4()),
                sender=sender,
                message_type=message_type,
                dedup_key=key,
                document_id=parsed.document_id[:300],
                business_type=parsed.business.get("BussinessDocType", "0" if message_type == "edoc" else "")[:1],
                status_code=parsed.status_code[:2],
                notation=_notation(parsed)[:100],
                subject=parsed.fields.get("Subject", parsed.fields.get("Description", ""))[:500],
                sha256=sha256,
                size=size,
                received_at=now,
            )
            new = recipients
        else:
            known = set(package.deliveries.values_list("recipient_id", flat=True))
            new = [r for r in recipients if r.pk not in known]
        Delivery.objects.bulk_create(
            [
                Delivery(
                    doc_id=str(uuid.uuid4()),
                    package=package,
                    recipient=recipient,
                    message_type=message_type,
                    available_at=now,
                    created_at=now,
                    updated_at=now,
                )
                for recipient in new
            ]
        )
        if created or new:
            log.append(
                "received" if created else "readdressed",
                doc_id=package.doc_id,
                agency=sender.code,
                counterparts=[r.code for r in new],
                sha256=sha256,
                details={"type": message_type, "document_id": package.document_id, "status": package.status_code},
            )
    return Accepted(package, created)


def _notation(parsed: edxml.Package) -> str:
    joined = edxml.join_notation(parsed.fields.get("CodeNumber", ""), parsed.fields.get("CodeNotation", ""))
    if joined:
        return joined
    if parsed.response_for:
        return parsed.response_for[0].get("Code", "")
    return ""


# --- Acknowledgements -----------------------------------------------------------------------------------------------

ACK_STATES = {"done", "fail", "processing"}


def acknowledge(agency: Agency, doc_id: str, status: str, reason: str = "") -> Delivery:
    """The recipient's transport-level answer: ``done`` ends the delivery; ``fail`` and ``processing`` pause it."""
    status = status.strip().lower()
    if status not in ACK_STATES:
        raise BusError(_("Unknown status %(status)s (done, fail or processing).") % {"status": status[:20]}, 400)
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(recipient__in=Agency.objects.filter(selectors.represented(agency)), doc_id=doc_id)
            .select_related("package")
            .first()
        )
        if delivery is None:
            raise BusError(_("No package %(doc_id)s for this system.") % {"doc_id": doc_id[:40]}, 404)
        if delivery.state in (DeliveryState.DONE, DeliveryState.DEAD):
            return delivery  # a repeated acknowledgement changes nothing
        event = status
        if status == "done":
            delivery.state = DeliveryState.DONE
        elif status == "processing":
            delivery.state = DeliveryState.PROCESSING
            delivery.available_at = now + timedelta(seconds=settings.BUS_RETRY_SECONDS)
        else:
            delivery.failures += 1
            delivery.last_error = reason[:500]
            if delivery.failures >= settings.BUS_MAX_FAILURES:
                delivery.state = DeliveryState.DEAD
                event = "dead"
            else:
                delivery.state = DeliveryState.WAITING
                delivery.available_at = now + timedelta(seconds=settings.BUS_RETRY_SECONDS)
        delivery.updated_at = now
        delivery.save(update_fields=["state", "available_at", "failures", "last_error", "updated_at"])
        log.append(
            event,
            doc_id=delivery.doc_id,
            agency=agency.code,
            counterparts=[delivery.package.doc_id],
            sha256=delivery.package.sha256,
            details={"failures": delivery.failures} if status == "fail" else None,
        )
    return delivery


def redrive(deliveries: list[Delivery], *, by_label: str = "") -> int:
    """Give dead letters back to their recipients' lists (an administrator's decision, audited)."""
    count = 0
    now = timezone.now()
    with transaction.atomic():
        for delivery in Delivery.objects.select_for_update().filter(
            pk__in=[d.pk for d in deliveries], state=DeliveryState.DEAD
        ):
            delivery.state = DeliveryState.WAITING
            delivery.failures = 0
            delivery.available_at = now
            delivery.updated_at = now
            delivery.save(update_fields=["state", "failures", "available_at", "updated_at"])
            log.append("redriven", doc_id=delivery.doc_id, details={"by": by_label})
            count += 1
        audit.record("bus.redrive", object_type="bus.delivery", details={"count": count, "by": by_label})
    return count


# --- Agencies -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyData:
    name: str
    code_qd20: str = ""
    code_qcvn102: str = ""
    parent_code: str = ""
    mail: str = ""
    mobile: str = ""
    fax: str = ""


QCVN102 = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}")
QD20 = re.compile(r"[0-9A-Z]+(\.[0-9A-Z]+)*")


def _check_codes(data: AgencyData) -> None:
    if data.code_qcvn102 and not QCVN102.fullmatch(data.code_qcvn102):
        raise BusError(_("Invalid QCVN 102 identifier code: %(code)s") % {"code": data.code_qcvn102[:40]}, 422)
    if data.code_qd20 and not QD20.fullmatch(data.code_qd20):
        raise BusError(_("Invalid QĐ 20/2020 identifier code: %(code)s") % {"code": data.code_qd20[:40]}, 422)
    if len(data.code_qd20) > 35 or not (data.code_qd20 or data.code_qcvn102):
        raise BusError(_("An agency needs an identifier code."), 422)
    if not data.name.strip():
        raise BusError(_("An agency needs a name."), 422)


def _conflict(data: AgencyData, exclude: int | None = None) -> Agency | None:
    for code in (data.code_qd20, data.code_qcvn102):
        if code:
            other = Agency.objects.filter(code_qd20=code).first() or Agency.objects.filter(code_qcvn102=code).first()
            if other is not None and other.pk != exclude:
                return other
    return None


def register_agency(caller: Agency | None, data: AgencyData, *, by_label: str = "") -> Agency:
    """Add an agency: by a registering system (``registerAgency``) or an administrator (``caller`` None)."""
    if caller is not None and not caller.may_register:
        raise BusError(_("This system may not register agencies."), 403)
    _check_codes(data)
    with transaction.atomic():
        existing = _conflict(data)
        if existing is not None and existing.source == AgencySource.DIRECTORY:
            raise BusError(_("The code belongs to an agency of the directory."), 409)
        agency = existing or Agency(source=AgencySource.REGISTERED, secret_salt=secrets.token_hex(16))
        for name, limit in (("name", 300), ("code_qd20", 35), ("code_qcvn102", 13), ("mail", 254), ("mobile", 30)):
            setattr(agency, name, getattr(data, name)[:limit])
        agency.fax = data.fax[:30]
        agency.parent_code = data.parent_code or (caller.code if caller is not None else "")
        agency.active = True
        agency.save()
        log.append("agency-registered", agency=caller.code if caller else "", counterparts=sorted(agency.codes))
        audit.record("bus.agency_register", obj=agency, details={"by": by_label or (caller.code if caller else "")})
    return agency


def delete_agency(caller: Agency | None, code: str, *, by_label: str = "") -> Agency:
    """Deactivate an agency (its packages and log stay)."""
    with transaction.atomic():
        agency = selectors.agency_by_code(code)
        if agency is None:
            raise BusError(_("No agency with code %(code)s.") % {"code": code[:40]}, 404)
        if caller is not None and not (caller.may_register and agency.parent_code in caller.codes):
            raise BusError(_("This system may not remove that agency."), 403)
        agency.active = False
        agency.save(update_fields=["active", "updated_at"])
        log.append("agency-removed", agency=caller.code if caller else "", counterparts=sorted(agency.codes))
        audit.record("bus.agency_remove", obj=agency, details={"by": by_label or (caller.code if caller else "")})
    return agency


def rotate_secret(agency: Agency, *, by_label: str = "") -> str:
    with transaction.atomic():
        agency.secret_version += 1
        agency.save(update_fields=["secret_version", "updated_at"])
        log.append("agency-rotated", counterparts=sorted(agency.codes))
        audit.record("bus.agency_rotate", obj=agency, details={"by": by_label})
    return secret_for(agency)


def sync_from_directory() -> tuple[int, int]:
    """Make every current organization with an identifier code an agency; deactivate those that lost theirs.

    The agency is the code: when an organization takes over a code (a merger keeps
    the code of the unit whose name it takes), the row that had it, registered or
    from an ended organization, moves to it with its secret and history.
    Returns (added or changed, deactivated). Used when the hub runs on the province's database.
    """
    from tacnghiep.directory.models import Organization

    changed = removed = 0
    with transaction.atomic():
        current = list(Organization.objects.filter(valid_to__isnull=True).exclude(code_qd20="", code_qcvn102=""))
        seen = {organization.pk for organization in current}
        for agency in Agency.objects.filter(source=AgencySource.DIRECTORY, active=True):
            if agency.organization_id not in seen:
                agency.active = False
                agency.save(update_fields=["active", "updated_at"])
                removed += 1
        parents = dict(Organization.objects.values_list("pk", "code_qd20"))
        for organization in current:
            values = {
                "source": AgencySource.DIRECTORY,
                "organization_id": organization.pk,
                "name": organization.name[:300],
                "code_qd20": organization.code_qd20,
                "code_qcvn102": organization.code_qcvn102,
                "parent_code": (parents.get(organization.parent_id) or "") if organization.parent_id else "",
                "active": True,
            }
            agency = (
                Agency.objects.filter(source=AgencySource.DIRECTORY, organization_id=organization.pk).first()
                or _conflict(
                    AgencyData(name="", code_qd20=organization.code_qd20, code_qcvn102=organization.code_qcvn102)
                )
                or Agency(secret_salt=secrets.token_hex(16))
            )
            if agency.pk is not None and all(getattr(agency, k) == v for k, v in values.items()):
                continue
            for code in filter(None, (organization.code_qd20, organization.code_qcvn102)):
                # A code can only have one owner: an older row holding one of them gives it up.
                for other in Agency.objects.filter(Q(code_qd20=code) | Q(code_qcvn102=code)).exclude(pk=agency.pk):
                    other.code_qd20 = "" if other.code_qd20 == code else other.code_qd20
                    other.code_qcvn102 = "" if other.code_qcvn102 == code else other.code_qcvn102
                    if not (other.code_qd20 or other.code_qcvn102):
                        other.code_qd20 = f"CU.{other.pk}"  # keeps the row valid; it can no longer sign in
                    other.active = False
                    other.save()
            for name, value in values.items():
                setattr(agency, name, value)
            agency.save()
            changed += 1
        if changed or removed:
            log.append("agencies-synced", details={"changed": changed, "deactivated": removed})
    return changed, removed

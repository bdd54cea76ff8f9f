"""One province's instance, driven from outside: ``python -m tacnghiep.exchange.tests.province ACTION``.

The two-province test runs two tacnghiep instances as separate processes, each
with its own database, worker and scheduler; this module is how the test acts
in one of them (each call is its own process) and reads back what happened.
Every action goes through the services, as the web pages would.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
    django.setup()


def _people() -> dict[str, Any]:
    from tacnghiep.directory.models import Person

    return {p.username: p for p in Person.objects.filter(username__in=["vanthu", "lanhdao", "chuyenvien", "quantri"])}


def setup(own_code: str, own_name: str, peer_code: str, peer_name: str) -> dict[str, Any]:
    from tacnghiep.directory.actors import Actor
    from tacnghiep.directory.models import Role
    from tacnghiep.directory.services.catalogs import load_reference_data
    from tacnghiep.directory.tests.factories import OrganizationFactory, staff
    from tacnghiep.documents.models import Direction, PeriodKind
    from tacnghiep.documents.services import registers

    load_reference_data()
    own = OrganizationFactory(name=own_name, short_name="TU", kind="provincial-committee", code_qcvn102=own_code)
    OrganizationFactory(
        name=peer_name, short_name="TU", kind="provincial-committee", code_qcvn102=peer_code, is_external=True
    )
    admin = staff(own, Role.SYSTEM_ADMIN, username="quantri", full_name="Quản Trị")
    staff(own, Role.CLERK, username="vanthu", full_name=f"Văn Thư {own_name}")
    staff(own, Role.LEADER, username="lanhdao", full_name="Lãnh Đạo")
    staff(own, Role.SPECIALIST, username="chuyenvien", full_name="Chuyên Viên")
    for direction, name in ((Direction.INCOMING, "Sổ văn bản đến"), (Direction.OUTGOING, "Sổ văn bản đi")):
        registers.create_register(
            actor=Actor(person=admin),
            organization=own,
            name=name,
            direction=direction,
            period_kind=PeriodKind.CALENDAR_YEAR,
        )
    return {"organization": own.pk}


def issue(subject: str) -> dict[str, Any]:
    from tacnghiep.core.tests import samples
    from tacnghiep.directory.actors import Actor
    from tacnghiep.directory.models import CatalogEntry, Organization
    from tacnghiep.documents.models import Direction, Register
    from tacnghiep.documents.services import drafting, issuing
    from tacnghiep.documents.services.drafting import DraftData
    from tacnghiep.documents.services.issuing import RecipientSpec

    people = _people()
    own = Organization.objects.get(is_external=False, parent__isnull=True, valid_to__isnull=True)
    peer = Organization.objects.get(is_external=True)

    def entry(catalog: str, code: str) -> CatalogEntry:
        return CatalogEntry.objects.get(catalog__code=catalog, code=code)

    document = drafting.create_draft(
        actor=Actor(person=people["chuyenvien"]),
        data=DraftData(
            organization=own,
            document_type=entry("document-types", "ke-hoach"),
            subject=subject,
            urgency=entry("urgency-levels", "thuong"),
            secrecy=entry("secrecy-levels", "thuong"),
        ),
        upload=samples.named("ke-hoach.pdf", samples.pdf(2, subject)),
        note="",
    )
    drafting.submit(actor=Actor(person=people["chuyenvien"]), document=document, steps=[], signer=people["lanhdao"])
    drafting.review(actor=Actor(person=people["lanhdao"]), document=document, approve=True)
    register = Register.objects.get(organization=own, direction=Direction.OUTGOING)
    issued = issuing.issue(
        actor=Actor(person=people["vanthu"]),
        document=document,
        register=register,
        recipients=[RecipientSpec(organization=peer)],
    )
    return {"outgoing": issued.pk, "notation": issued.code_notation}


def state() -> dict[str, Any]:
    """What the test checks: deliveries and their history, inbox, incoming documents."""
    from tacnghiep.documents.models import DocumentFile, EventKind, IncomingDocument, OutgoingDocument, Recipient
    from tacnghiep.exchange.models import InboundPackage, OutboundPackage

    return {
        "recipients": [
            {"document": r.document_id, "state": r.state, "note": r.note}
            for r in Recipient.objects.filter(organization__is_external=True).order_by("id")
        ],
        "history": {
            d.pk: [e.text for e in d.events.filter(kind=EventKind.REMOTE_STATUS).order_by("id")]
            for d in OutgoingDocument.objects.all()
        },
        "inbound": [
            {
                "pk": i.pk,
                "state": i.state,
                "business": i.business_type,
                "incoming": i.incoming_id,
                "code": i.status_code,
            }
            for i in InboundPackage.objects.order_by("id")
        ],
        "incoming": [
            {
                "pk": d.pk,
                "notation": d.code_notation,
                "subject": d.subject,
                "withdrawn": d.withdrawn_at is not None,
                "files": DocumentFile.objects.filter(incoming=d).count(),
            }
            for d in IncomingDocument.objects.order_by("id")
        ],
        "outbox": {s: OutboundPackage.objects.filter(state=s).count() for s in ("pending", "sent", "failed")},
    }


def register_waiting() -> dict[str, Any]:
    from tacnghiep.directory.actors import Actor
    from tacnghiep.directory.models import CatalogEntry
    from tacnghiep.documents.models import Direction, Register
    from tacnghiep.exchange.models import InboundPackage, InboxState
    from tacnghiep.exchange.services import clerk

    people = _people()
    done = []
    for inbound in InboundPackage.objects.filter(state=InboxState.WAITING, message_type="edoc").order_by("id"):
        document = clerk.register(
            actor=Actor(person=people["vanthu"]),
            inbound=inbound,
            data=clerk.Registration(
                register=Register.objects.get(organization=inbound.organization, direction=Direction.INCOMING),
                document_type=CatalogEntry.objects.get(catalog__code="document-types", code="ke-hoach"),
                urgency=CatalogEntry.objects.get(catalog__code="urgency-levels", code="thuong"),
                secrecy=CatalogEntry.objects.get(catalog__code="secrecy-levels", code="thuong"),
            ),
        )
        done.append(document.pk)
    return {"registered": done}


def handle(incoming: int) -> dict[str, Any]:
    """Direct it to the specialist (04), who gives an opinion (05) and completes it (06)."""
    from tacnghiep.directory.actors import Actor
    from tacnghiep.documents.models import AssignmentRole, IncomingDocument
    from tacnghiep.documents.services import processing

    people = _people()
    document = IncomingDocument.objects.get(pk=incoming)
    [assignment] = processing.direct(
        actor=Actor(person=people["lanhdao"]),
        document=document,
        direction="Chuyên viên chủ trì tham mưu",
        assignments=[processing.AssignmentSpec(role=AssignmentRole.LEAD, person=people["chuyenvien"])],
    )
    processing.add_opinion(actor=Actor(person=people["chuyenvien"]), document=document, text="Đang tham mưu")
    processing.complete(actor=Actor(person=people["chuyenvien"]), assignment=assignment, result="Đã tham mưu xong")
    return {"completed": assignment.pk}


def revoke(outgoing: int, reason: str) -> dict[str, Any]:
    from tacnghiep.directory.actors import Actor
    from tacnghiep.documents.models import OutgoingDocument
    from tacnghiep.documents.services import issuing

    document = OutgoingDocument.objects.get(pk=outgoing)
    issuing.revoke(actor=Actor(person=_people()["lanhdao"]), document=document, reason=reason)
    return {"revoked": outgoing}


def bulk_issue(count: int) -> dict[str, Any]:
    """``count`` issued documents to the outside organization, each with its own PDF, in few transactions.

    The numbering and drafting steps are skipped (they are not what this
    measures); the border crossing is the one issuing uses (``external.send``).
    """
    from django.db import transaction
    from django.utils import timezone

    from tacnghiep.core import uploads
    from tacnghiep.core.tests import samples
    from tacnghiep.directory.models import CatalogEntry, Organization
    from tacnghiep.documents.models import (
        Direction,
        DocumentFile,
        FileRole,
        OutgoingDocument,
        OutgoingStatus,
        Recipient,
        Register,
    )
    from tacnghiep.documents.services import external

    people = _people()
    own = Organization.objects.get(is_external=False, parent__isnull=True, valid_to__isnull=True)
    peer = Organization.objects.get(is_external=True)
    register = Register.objects.get(organization=own, direction=Direction.OUTGOING)
    kinds = {
        c: CatalogEntry.objects.get(catalog__code=c, code=k)
        for c, k in (("document-types", "ke-hoach"), ("urgency-levels", "thuong"), ("secrecy-levels", "thuong"))
    }
    first = (
        OutgoingDocument.objects.order_by("-issued_number").values_list("issued_number", flat=True).first() or 0
    ) + 1
    for start in range(first, first + count, 100):
        with transaction.atomic():
            for number in range(start, min(start + 100, first + count)):
                inspected = uploads.inspect(
                    samples.named(f"{number}.pdf", samples.pdf(1, f"Văn bản số {number}")), {uploads.PDF}
                )
                stored = uploads.store(inspected)
                document = OutgoingDocument.objects.create(
                    organization=own,
                    document_type=kinds["document-types"],
                    subject=f"Văn bản thử số {number}",
                    urgency=kinds["urgency-levels"],
                    secrecy=kinds["secrecy-levels"],
                    status=OutgoingStatus.ISSUED,
                    drafted_by=people["chuyenvien"],
                    register=register,
                    issued_period="2026",
                    issued_number=number,
                    code_notation=f"{number}-KH/TU",
                    issued_on=timezone.localdate(),
                    issued_by=people["vanthu"],
                )
                DocumentFile.objects.create(
                    outgoing=document,
                    file=stored,
                    name=f"{number}-KH.pdf",
                    role=FileRole.MAIN,
                    added_by=people["vanthu"],
                )
                recipient = Recipient.objects.create(document=document, organization=peer)
                external.send(document, [recipient], "new")
    return {"issued": count}


def fingerprints() -> dict[str, Any]:
    """Per document identifier: the SHA-256 of its files, on the sending and on the receiving side."""
    from tacnghiep.documents.models import DocumentFile, OutgoingDocument
    from tacnghiep.exchange import packaging
    from tacnghiep.exchange.models import InboundFile, InboundPackage

    sent = {
        packaging.document_id(d): sorted(
            f.file.sha256 for f in DocumentFile.objects.filter(outgoing=d).select_related("file")
        )
        for d in OutgoingDocument.objects.filter(status="issued").select_related("organization")
    }
    files: dict[int, list[str]] = {}
    for package_id, sha256 in InboundFile.objects.values_list("package_id", "file__sha256"):
        files.setdefault(package_id, []).append(sha256)
    received: dict[str, list[list[str]]] = {}
    for pk, document_id in InboundPackage.objects.filter(message_type="edoc").values_list("pk", "document_id"):
        received.setdefault(document_id, []).append(sorted(files.get(pk, [])))
    arrived = sum(1 for state in _recipient_states() if state == "arrived")
    return {"sent": sent, "received": received, "arrived": arrived}


def _recipient_states() -> list[str]:
    from tacnghiep.documents.models import Recipient

    return list(Recipient.objects.filter(organization__is_external=True).values_list("state", flat=True))


def counts() -> dict[str, Any]:
    from collections import Counter

    from tacnghiep.exchange.models import InboundPackage, OutboundPackage

    return {
        "recipients": dict(Counter(_recipient_states())),
        "inbound": InboundPackage.objects.filter(message_type="edoc").count(),
        "statuses": InboundPackage.objects.filter(message_type="status").count(),
        "outbox_pending": OutboundPackage.objects.filter(state="pending").count(),
        "outbox_failed": OutboundPackage.objects.filter(state="failed").count(),
    }


ACTIONS = {
    "bulk-issue": lambda count: bulk_issue(int(count)),
    "fingerprints": fingerprints,
    "counts": counts,
    "setup": setup,
    "issue": issue,
    "state": state,
    "register-waiting": register_waiting,
    "handle": lambda incoming: handle(int(incoming)),
    "revoke": lambda outgoing, reason: revoke(int(outgoing), reason),
}


def main(argv: list[str]) -> None:
    _setup()
    result = ACTIONS[argv[0]](*argv[1:])
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])

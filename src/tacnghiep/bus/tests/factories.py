"""Agencies and packages for the hub's tests."""

from __future__ import annotations

import secrets
import tempfile
from itertools import count
from pathlib import Path

from tacnghiep.bus.models import Agency, AgencySource
from tacnghiep.exchange import edxml

_serial = count(1)


def agency(code_qd20: str = "", code_qcvn102: str = "", name: str = "", **extra: object) -> Agency:
    if not code_qd20 and not code_qcvn102:
        code_qcvn102 = f"000.{next(_serial) % 100:02d}.{next(_serial) % 100:02d}.A49"
    return Agency.objects.create(
        code_qd20=code_qd20,
        code_qcvn102=code_qcvn102,
        name=name or f"Cơ quan {code_qcvn102 or code_qd20}",
        source=AgencySource.REGISTERED,
        secret_salt=secrets.token_hex(16),
        **extra,
    )


def document(
    sender: str,
    recipients: list[str],
    number: int = 42,
    business: str = "0",
    payload: bytes = b"%PDF-1.4 van ban",
    subject: str = "Kế hoạch triển khai",
    reason: str = "",
) -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="bus-test-"))
    attachment = folder / "a.pdf"
    attachment.write_bytes(payload)
    document_id = f"{sender},2026/11/22,{number}/KH-TU"
    package = edxml.Package(
        kind="document",
        sender=edxml.Organization(organ_id=sender, name="Tỉnh ủy"),
        recipients=[edxml.Organization(organ_id=code, name="Nơi nhận") for code in recipients],
        fields={
            "DocumentId": document_id,
            "CodeNumber": str(number),
            "CodeNotation": "KH-TU",
            "PromulgationDate": "2026/11/22",
            "Subject": subject,
        },
        business={"DocumentId": document_id, "BussinessDocType": business, "BussinessDocReason": reason, "Paper": "0"},
        attachments=[
            edxml.Attachment(
                content_id="cid:1",
                name="van-ban.pdf",
                content_type="application/pdf",
                size=len(payload),
                path=attachment,
            )
        ],
    )
    return edxml.build(package)


def status(sender: str, original_sender: str, code: str = "01", number: int = 42, description: str = "") -> bytes:
    package = edxml.Package(
        kind="status",
        sender=edxml.Organization(organ_id=sender, name="Nơi nhận"),
        response_for=[
            {
                "OrganId": original_sender,
                "Code": f"{number}/KH-TU",
                "PromulgationDate": "2026/11/22",
                "DocumentId": f"{original_sender},2026/11/22,{number}/KH-TU",
            }
        ],
        staff={"Department": "Văn phòng", "Staff": "Văn thư"},
        fields={"StatusCode": code, "Description": description or "Đã đến", "Timestamp": "2026/11/22 09:00:00"},
    )
    return edxml.build(package)

"""An issued outgoing document as an edXML document package (the sending side of the exchange)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.utils import timezone

from tacnghiep.core import uploads
from tacnghiep.directory.models import Organization
from tacnghiep.documents.models import DocumentFile, OutgoingDocument
from tacnghiep.exchange import edxml

BUSINESS = {"": "0", "update": "2", "replace": "3"}


def organ_id(organization: Organization) -> str:
    """The identifier code the peer expects: the QCVN 102 form when there is one, else the QĐ 20 form."""
    return organization.code_qcvn102 or organization.code_qd20


def _organization(organization: Organization) -> edxml.Organization:
    return edxml.Organization(organ_id=organ_id(organization), name=organization.name)


def document_package(document: OutgoingDocument, folder: Path | None = None) -> edxml.Package:
    """Header, recipients with identifier codes and files of an issued document; files are copied to ``folder``."""
    folder = folder or Path(tempfile.mkdtemp(prefix="edxml-"))
    issued = document.issued_on or timezone.localdate()
    number, _sep, notation = document.code_notation.partition("-")
    if not notation:
        number, _sep, notation = document.code_notation.partition("/")
    package = edxml.Package(kind="document")
    package.sender = _organization(document.organization)
    package.recipients = [
        _organization(r.organization)
        for r in document.recipients.select_related("organization")
        if r.organization is not None and organ_id(r.organization)
    ]
    package.to_places = [
        r.place or (r.organization.name if r.organization else "")
        for r in document.recipients.select_related("organization")
    ]
    package.fields = {
        "DocumentId": f"{package.sender.organ_id},{issued:%Y/%m/%d},{document.code_notation}",
        "CodeNumber": number,
        "CodeNotation": notation,
        "PromulgationDate": f"{issued:%Y/%m/%d}",
        "TypeName": document.document_type.name,
        "Subject": document.subject,
        "FullName": document.signer.full_name if document.signer else "",
        "PageAmount": str(document.page_count or ""),
    }
    package.business = {
        "DocumentId": package.fields["DocumentId"],
        "BussinessDocType": BUSINESS.get(document.supersession, "0"),
        "Paper": "0",
    }
    files = DocumentFile.objects.filter(outgoing=document).select_related("file").order_by("role", "position", "id")
    for index, item in enumerate(files):
        target = folder / f"{index}-{item.file.sha256}"
        with uploads.open_stored(item.file) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        package.attachments.append(
            edxml.Attachment(
                content_id=f"cid:{index + 1}",
                name=item.name,
                content_type=item.file.media_type,
                size=item.file.size,
                sha256=item.file.sha256,
                path=target,
            )
        )
    return package

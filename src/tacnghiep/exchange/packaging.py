"""An issued outgoing document as an edXML document package (the sending side of the exchange)."""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tacnghiep.core import uploads
from tacnghiep.directory.models import Organization
from tacnghiep.documents.models import DocumentFile, OutgoingDocument
from tacnghiep.exchange import archives, edxml

BUSINESS = {"": "0", "new": "0", "revoke": "1", "update": "2", "replace": "3"}


def organ_id(organization: Organization) -> str:
    """The identifier code the peer expects: the QCVN 102 form when there is one, else the QĐ 20 form."""
    return organization.code_qcvn102 or organization.code_qd20


def _organization(organization: Organization) -> edxml.Organization:
    return edxml.Organization(organ_id=organ_id(organization), name=organization.name)


def split_notation(code_notation: str) -> tuple[str, str]:
    """CodeNumber and CodeNotation: "42-KH/TU" → ("42", "KH/TU"), "12/QĐ-UBND" → ("12", "QĐ-UBND")."""
    found = re.match(r"^(\d+)[-/](.+)$", code_notation.strip())
    if found is None:
        return "", code_notation.strip()
    return found.group(1), found.group(2)


def document_id(document: OutgoingDocument) -> str:
    """The package's DocumentId: sender code, issued date and number (how status packages find it again)."""
    issued = document.issued_on or timezone.localdate()
    return f"{organ_id(document.organization)},{issued:%Y/%m/%d},{document.code_notation}"


def document_package(
    document: OutgoingDocument,
    folder: Path | None = None,
    *,
    recipients: list[str] | None = None,
    business: str = "",
) -> edxml.Package:
    """Header, recipients with identifier codes and files of an issued document; files are copied to ``folder``.

    ``recipients`` keeps only those codes in To; ``business`` is "revoke",
    "update" or "replace" for the packages that change an earlier one (a
    revocation carries the header and the reason, without the files).
    """
    folder = folder or Path(tempfile.mkdtemp(prefix="edxml-"))
    issued = document.issued_on or timezone.localdate()
    number, notation = split_notation(document.code_notation)
    package = edxml.Package(kind="document")
    package.sender = _organization(document.organization)
    rows = list(document.recipients.select_related("organization"))
    package.recipients = [
        _organization(r.organization)
        for r in rows
        if r.organization is not None
        and organ_id(r.organization)
        and (recipients is None or organ_id(r.organization) in recipients)
    ]
    package.to_places = [r.place or (r.organization.name if r.organization else "") for r in rows]
    package.fields = {
        "DocumentId": document_id(document),
        "CodeNumber": number,
        "CodeNotation": notation,
        "PromulgationDate": f"{issued:%Y/%m/%d}",
        "TypeName": document.document_type.name,
        "Subject": document.subject,
        "FullName": document.signer.full_name if document.signer else "",
        "PageAmount": str(document.page_count or ""),
    }
    business = business or document.supersession or "new"
    changed = document.supersedes if business in ("update", "replace") and document.supersedes else document
    package.business = {
        "DocumentId": document_id(changed),
        "BussinessDocType": BUSINESS[business],
        "Paper": "0",
    }
    if business == "revoke":
        package.business["BussinessDocReason"] = document.revoked_reason
        return package
    files = DocumentFile.objects.filter(outgoing=document).select_related("file").order_by("role", "position", "id")
    for index, item in enumerate(files):
        target = folder / f"{index}-{item.file.sha256}"
        with uploads.open_stored(item.file) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        attachment = edxml.Attachment(
            content_id=f"cid:{index + 1}",
            name=item.name,
            content_type=item.file.media_type,
            size=item.file.size,
            sha256=item.file.sha256,
            path=target,
        )
        if settings.EXCHANGE_ZIP_ATTACHMENTS:
            # The peer expects each file inside a ZIP of its own.
            wrapped = archives.wrap(target, item.name, folder / f"{index}.zip")
            attachment.name = f"{item.name}.zip"
            attachment.content_type = "application/zip"
            attachment.size = wrapped.stat().st_size
            attachment.sha256 = ""
            attachment.path = wrapped
        package.attachments.append(attachment)
    return package


def status_package(
    *,
    sender: edxml.Organization,
    answering: dict[str, str],
    code: str,
    description: str,
    staff: dict[str, str],
    moment: datetime,
) -> edxml.Package:
    """A status package (01–06, 13, 15, 16) about the document ``answering`` describes (ResponseFor)."""
    package = edxml.Package(kind="status", sender=sender)
    package.response_for = [answering]
    package.staff = staff
    local = timezone.localtime(moment)
    package.fields = {"StatusCode": code, "Description": description, "Timestamp": f"{local:%Y/%m/%d %H:%M:%S}"}
    return package

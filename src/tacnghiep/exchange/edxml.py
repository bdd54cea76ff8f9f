"""Reading edXML packages (QCVN 102:2016 with Sửa đổi 1:2022): document packages and status packages.

The reader is a streaming lxml *target* parser, hardened the way every XML entry
point must be: no DTD (a ``<!DOCTYPE`` is refused outright), no entity
expansion, no network, a size limit, a depth limit and a limit on attachments.
Attachment payloads (``ContentTransferEncoded``, Base64) never sit in memory:
they are decoded chunk by chunk into temporary files while their size and
SHA-256 are counted. Problems are :class:`EdxmlError` with a Vietnamese message.

What real producers do and we tolerate: the ``Signature`` element in the edXML
namespace or in the XML-DSig one, elements written with or without the
``edXML:`` prefix (the same namespace), an impossible date inside
``DocumentId`` (kept as text; only ``PromulgationDate`` is read as a date),
attachments sent as raw Base64 or as a Base64 ZIP. Field lengths beyond the
standard's limits are reported as warnings (``Package.length_warnings``), not
refusals, because the third-party limits are not confirmed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from lxml import etree  # type: ignore[import-untyped]

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
MAX_BYTES = 200 * 1024 * 1024
MAX_DEPTH = 40
MAX_ATTACHMENTS = 100
# Lengths of QCVN 102 / NĐ 30 PL VI as the Bkav validator applies them (reference/standards.md §1.3).
LENGTHS = {
    "OrganId": 35,
    "OrganName": 200,
    "OrganAdd": 500,
    "Email": 100,
    "Telephone": 20,
    "Fax": 20,
    "CodeNumber": 11,
    "CodeNotation": 30,
    "Place": 150,
    "TypeName": 100,
    "Subject": 500,
    "Content": 500,
    "SphereOfPromulgation": 100,
    "TyperNotation": 10,
    "AttachmentName": 500,
}
STATUS_CODES = {"01", "02", "03", "04", "05", "06", "13", "15", "16"}
BUSINESS_TYPES = {"0": "new", "1": "revoke", "2": "update", "3": "replace"}


class EdxmlError(Exception):
    """A package that cannot be accepted; the message says why in Vietnamese."""


@dataclass
class Organization:
    organ_id: str = ""
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class Attachment:
    content_id: str = ""
    name: str = ""
    description: str = ""
    content_type: str = ""
    size: int = 0
    sha256: str = ""
    path: Path | None = None

    @property
    def is_zip(self) -> bool:
        return self.content_type == "application/zip"


@dataclass
class Package:
    kind: str = ""  # "document" or "status"
    sender: Organization = field(default_factory=Organization)
    recipients: list[Organization] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    response_for: list[dict[str, str]] = field(default_factory=list)
    staff: dict[str, str] = field(default_factory=dict)
    trace: list[dict[str, str]] = field(default_factory=list)
    business: dict[str, str] = field(default_factory=dict)
    to_places: list[str] = field(default_factory=list)
    references: list[dict[str, str]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    signed: bool = False
    length_warnings: list[str] = field(default_factory=list)

    @property
    def status_code(self) -> str:
        return self.fields.get("StatusCode", "")

    @property
    def document_id(self) -> str:
        return self.fields.get("DocumentId", "") or self.business.get("DocumentId", "")

    @property
    def business_type(self) -> str:
        return BUSINESS_TYPES.get(self.business.get("BussinessDocType", "0"), "")

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from": vars(self.sender),
            "to": [vars(o) for o in self.recipients],
            "fields": self.fields,
            "response_for": self.response_for,
            "staff": self.staff,
            "trace": self.trace,
            "business": self.business,
            "to_places": self.to_places,
            "signed": self.signed,
            "attachments": [
                {
                    "content_id": a.content_id,
                    "name": a.name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.sha256,
                }
                for a in self.attachments
            ],
            "warnings": self.length_warnings,
        }


def join_notation(number: str, notation: str) -> str:
    """ "Số và ký hiệu" from CodeNumber and CodeNotation: Party notations carry their own slash
    ("KH/TU", written 42-KH/TU), state ones do not ("QĐ-UBND", written 12/QĐ-UBND)."""
    if number and notation:
        return f"{number}{'-' if '/' in notation else '/'}{notation}"
    return number or notation


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _sep, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


ORGANIZATION_FIELDS = {
    "OrganId": "organ_id",
    "OrganName": "name",
    "OrganizationInCharge": "in_charge",
    "OrganAdd": "address",
    "Email": "email",
    "Telephone": "telephone",
    "Fax": "fax",
    "Website": "website",
}


class _Base64Sink:
    """Decodes Base64 text as it arrives, into a temporary file, counting size and SHA-256."""

    def __init__(self, folder: Path | None, limit: int) -> None:
        # Without a folder the bytes are only counted and hashed (the hub checks, the recipient keeps).
        self.file = (
            tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".bin")  # noqa: SIM115
            if folder is not None
            else None
        )
        self.digest = hashlib.sha256()
        self.size = 0
        self.pending = b""
        self.limit = limit

    def write(self, text: str) -> None:
        data = self.pending + "".join(text.split()).encode("ascii", errors="replace")
        usable = len(data) - len(data) % 4
        self.pending = data[usable:]
        if usable:
            self._emit(data[:usable])

    def _emit(self, chunk: bytes) -> None:
        try:
            decoded = base64.b64decode(chunk, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EdxmlError(_("An attachment is not valid Base64.")) from exc
        self.size += len(decoded)
        if self.size > self.limit:
            raise EdxmlError(_("An attachment is larger than the limit."))
        self.digest.update(decoded)
        if self.file is not None:
            self.file.write(decoded)

    def close(self) -> tuple[Path | None, int, str]:
        if self.pending:
            self._emit(self.pending + b"=" * (-len(self.pending) % 4))
        if self.file is None:
            return None, self.size, self.digest.hexdigest()
        self.file.close()
        return Path(self.file.name), self.size, self.digest.hexdigest()


class _Target:
    """lxml parser target: builds a Package from start/end/data events without keeping the tree."""

    def __init__(self, folder: Path | None, max_attachment: int) -> None:
        self.package = Package()
        self.path: list[str] = []
        self.text: list[str] = []
        self.folder = folder
        self.max_attachment = max_attachment
        self.sink: _Base64Sink | None = None
        self.current: dict[str, str] = {}
        self.organization: Organization | None = None
        self.attachment: Attachment | None = None

    def doctype(self, *args: object) -> None:
        raise EdxmlError(_("Packages with a document type declaration (DTD) are refused."))

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        namespace, name = _local(tag)
        if len(self.path) >= MAX_DEPTH:
            raise EdxmlError(_("The package is nested too deeply."))
        if not self.path and (namespace, name) != (NAMESPACE, "edXML"):
            raise EdxmlError(_("This is not an edXML package (QCVN 102:2016)."))
        if name == "Signature" and namespace in (NAMESPACE, DSIG):
            self.package.signed = True
        parent = self.path[-1] if self.path else ""
        self.path.append(name)
        self.text = []
        if name in ("From", "To") and parent == "MessageHeader":
            self.organization = Organization()
        elif name in ("ResponseFor", "StaffInfo", "TraceHeader", "Reference"):
            self.current = {}
        elif name == "Attachment" and parent == "AttachmentEncoded":
            if len(self.package.attachments) >= MAX_ATTACHMENTS:
                raise EdxmlError(_("The package has too many attachments."))
            self.attachment = Attachment()
        elif name == "ContentTransferEncoded" and self.attachment is not None:
            self.sink = _Base64Sink(self.folder, self.max_attachment)

    def data(self, text: str) -> None:
        if self.sink is not None:
            self.sink.write(text)
        elif "Signature" not in self.path:
            self.text.append(text)

    def end(self, tag: str) -> None:
        _namespace, name = _local(tag)
        value = "".join(self.text).strip()
        self.text = []
        self.path.pop()
        parent = self.path[-1] if self.path else ""
        package = self.package
        if name in LENGTHS and len(value) > LENGTHS[name]:
            package.length_warnings.append(f"{name}: {len(value)} > {LENGTHS[name]}")
        if self.organization is not None and name in ORGANIZATION_FIELDS and parent in ("From", "To"):
            setattr(self.organization, ORGANIZATION_FIELDS[name], value)
        elif name in ("From", "To") and parent == "MessageHeader" and self.organization is not None:
            if name == "From":
                package.sender = self.organization
            else:
                package.recipients.append(self.organization)
            self.organization = None
        elif parent in ("ResponseFor", "StaffInfo", "TraceHeader", "Reference"):
            self.current[name] = value
        elif name == "ResponseFor":
            package.response_for.append(self.current)
        elif name == "StaffInfo":
            package.staff = self.current
        elif name == "TraceHeader":
            package.trace.append(self.current)
        elif name == "Reference":
            package.references.append(self.current)
        elif parent == "Bussiness" and value:
            package.business[name] = value
        elif parent == "Code" or parent == "PromulgationInfo" or parent == "DocumentType" or parent == "SignerInfo":
            package.fields[name if parent != "PromulgationInfo" or name != "Place" else "PromulgationPlace"] = value
        elif parent == "OtherInfo" and value:
            package.fields[name] = value
        elif parent == "ToPlaces" and name == "Place":
            package.to_places.append(value)
        elif parent == "MessageHeader" and name not in ("From", "To") and value:
            package.fields[name] = value
        elif self.attachment is not None and parent == "Attachment":
            if name == "ContentTransferEncoded" and self.sink is not None:
                self.attachment.path, self.attachment.size, self.attachment.sha256 = self.sink.close()
                self.sink = None
            elif name == "ContentId":
                self.attachment.content_id = value
            elif name == "AttachmentName":
                self.attachment.name = value
            elif name == "Description":
                self.attachment.description = value
            elif name == "ContentType":
                self.attachment.content_type = value
        elif name == "Attachment" and self.attachment is not None:
            package.attachments.append(self.attachment)
            self.attachment = None

    def close(self) -> Package:
        return self.package


def parse(
    stream: IO[bytes], *, folder: Path | None = None, max_bytes: int = MAX_BYTES, keep_attachments: bool = True
) -> Package:
    """Read a package from ``stream``; attachments go to files in ``folder`` (a temporary one by default).

    With ``keep_attachments=False`` attachments are decoded, counted and hashed but not written.
    """
    folder = (folder or Path(tempfile.mkdtemp(prefix="edxml-"))) if keep_attachments else None
    target = _Target(folder, max_bytes)
    parser = etree.XMLParser(
        target=target,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,  # long Base64 text nodes are streamed to the target, never kept
        remove_comments=True,
        remove_pis=True,
    )
    read = 0
    head = True
    try:
        while chunk := stream.read(1024 * 1024):
            read += len(chunk)
            if read > max_bytes:
                raise EdxmlError(_("The package is larger than the limit."))
            if head:
                if b"<!DOCTYPE" in chunk[:4096].upper() or b"<!ENTITY" in chunk[:4096].upper():
                    raise EdxmlError(_("Packages with a document type declaration (DTD) are refused."))
                head = False
            parser.feed(chunk)
        package: Package = parser.close()
    except EdxmlError:
        _discard(target)
        raise
    except etree.XMLSyntaxError as exc:
        _discard(target)
        raise EdxmlError(_("The package is not well-formed XML: %(error)s") % {"error": str(exc)[:200]}) from exc
    if package.kind == "" and package.status_code:
        package.kind = "status"
    elif package.kind == "":
        package.kind = "document"
    return package


def _discard(target: _Target) -> None:
    if target.sink is not None and target.sink.file is not None:
        target.sink.file.close()
        Path(target.sink.file.name).unlink(missing_ok=True)
    for attachment in target.package.attachments:
        if attachment.path is not None:
            attachment.path.unlink(missing_ok=True)


def problems(package: Package) -> list[str]:
    """What makes a parsed package unusable (validate exits non-zero with these)."""
    found: list[str] = []
    if not package.sender.organ_id:
        found.append(_("The sender (From/OrganId) is missing."))
    if package.kind == "status":
        if package.status_code not in STATUS_CODES:
            found.append(_("Unknown status code %(code)s.") % {"code": package.status_code or "—"})
        if not package.response_for:
            found.append(_("A status package must say which document it answers (ResponseFor)."))
        if package.status_code == "02" and not package.fields.get("Description"):
            found.append(_("A refusal (02) must give its reason (Description)."))
    else:
        if not package.recipients:
            found.append(_("The package names no recipient (To)."))
        for name in ("CodeNumber", "Subject"):
            if not package.fields.get(name):
                found.append(_("The field %(name)s is missing.") % {"name": name})
        references = {r.get("ContentId", "") for r in package.references}
        for attachment in package.attachments:
            if attachment.content_id not in references:
                found.append(
                    _("The attachment %(name)s is not in the manifest.")
                    % {"name": attachment.name or attachment.content_id}
                )
    return found


# --- building ---------------------------------------------------------------------------------

CODE_FIELDS = ("CodeNumber", "CodeNotation")
PROMULGATION_FIELDS = (("Place", "PromulgationPlace"), ("PromulgationDate", "PromulgationDate"))
TYPE_FIELDS = ("Type", "TypeDetail", "TypeName")
SIGNER_FIELDS = ("Competence", "Position", "FullName")
OTHER_FIELDS = ("Priority", "SphereOfPromulgation", "TyperNotation", "PromulgationAmount", "PageAmount", "Direction")
STAFF_FIELDS = ("Department", "Staff", "Mobile", "Email")
RESPONSE_FIELDS = ("OrganId", "Code", "PromulgationDate", "DocumentId")
BUSINESS_FIELDS = ("DocumentId", "BussinessDocType", "BussinessDocReason", "Paper")


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def element(self, name: str, value: str, indent: int) -> None:
        self.parts.append(f"{'  ' * indent}<edXML:{name}>{_escape(value)}</edXML:{name}>\n")

    def open(self, name: str, indent: int, attributes: str = "") -> None:
        self.parts.append(f"{'  ' * indent}<edXML:{name}{attributes}>\n")

    def close(self, name: str, indent: int) -> None:
        self.parts.append(f"{'  ' * indent}</edXML:{name}>\n")

    def group(self, name: str, values: list[tuple[str, str]], indent: int) -> None:
        present = [(k, v) for k, v in values if v]
        if not present:
            return
        self.open(name, indent)
        for key, value in present:
            self.element(key, value, indent + 1)
        self.close(name, indent)


def _organization(writer: _Writer, name: str, organization: Organization) -> None:
    writer.group(name, [(tag, getattr(organization, attribute)) for tag, attribute in ORGANIZATION_FIELDS.items()], 4)


def build(package: Package) -> bytes:
    """The package as edXML bytes, in the element order of the VNPT library (standards §1.2–1.7).

    Attachments are read from their files and written as Base64 with their own
    content type (a ZIP stays a ZIP). Building what :func:`parse` read gives the
    same bytes again.
    """
    fields = package.fields
    writer = _Writer()
    writer.parts.append(f'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="{NAMESPACE}">\n')
    writer.open("edXMLEnvelope", 1, f' xmlns:edXML="{NAMESPACE}"')
    writer.open("edXMLHeader", 2)
    writer.open("MessageHeader", 3)
    _organization(writer, "From", package.sender)
    if package.kind == "status":
        for answer in package.response_for:
            writer.group("ResponseFor", [(k, answer.get(k, "")) for k in RESPONSE_FIELDS], 4)
        writer.group("StaffInfo", [(k, package.staff.get(k, "")) for k in STAFF_FIELDS], 4)
        for name in ("StatusCode", "Description", "Timestamp"):
            if fields.get(name):
                writer.element(name, fields[name], 4)
    else:
        for recipient in package.recipients:
            _organization(writer, "To", recipient)
        if fields.get("DocumentId"):
            writer.element("DocumentId", fields["DocumentId"], 4)
        writer.group("Code", [(k, fields.get(k, "")) for k in CODE_FIELDS], 4)
        writer.group("PromulgationInfo", [(tag, fields.get(key, "")) for tag, key in PROMULGATION_FIELDS], 4)
        writer.group("DocumentType", [(k, fields.get(k, "")) for k in TYPE_FIELDS], 4)
        for name in ("Subject", "Content"):
            if fields.get(name):
                writer.element(name, fields[name], 4)
        writer.group("SignerInfo", [(k, fields.get(k, "")) for k in SIGNER_FIELDS], 4)
        if fields.get("DueDate"):
            writer.element("DueDate", fields["DueDate"], 4)
        writer.group("OtherInfo", [(k, fields.get(k, "")) for k in OTHER_FIELDS], 4)
        for answer in package.response_for:
            writer.group("ResponseFor", [(k, answer.get(k, "")) for k in RESPONSE_FIELDS], 4)
        if fields.get("SteeringType"):
            writer.element("SteeringType", fields["SteeringType"], 4)
        writer.group("ToPlaces", [("Place", place) for place in package.to_places], 4)
    writer.close("MessageHeader", 3)
    if package.kind != "status":
        writer.open("TraceHeaderList", 3)
        for hop in package.trace:
            writer.group("TraceHeader", [(k, hop.get(k, "")) for k in ("OrganId", "Timestamp")], 4)
        writer.group("Bussiness", [(k, package.business.get(k, "")) for k in BUSINESS_FIELDS], 4)
        writer.close("TraceHeaderList", 3)
    writer.close("edXMLHeader", 2)
    if package.kind != "status":
        writer.open("edXMLBody", 2)
        writer.open("edXMLManifest", 3, ' version="1.0"')
        for attachment in package.attachments:
            writer.group(
                "Reference",
                [
                    ("ContentId", attachment.content_id),
                    ("ContentType", attachment.content_type),
                    ("Description", attachment.description),
                    ("AttachmentName", attachment.name),
                ],
                4,
            )
        writer.close("edXMLManifest", 3)
        writer.close("edXMLBody", 2)
    writer.close("edXMLEnvelope", 1)
    if package.attachments:
        writer.parts.append("  <AttachmentEncoded>\n")
        for attachment in package.attachments:
            assert attachment.path is not None
            data = attachment.path.read_bytes()
            writer.parts.append("    <Attachment>\n")
            for tag, value in (
                ("ContentId", attachment.content_id),
                ("AttachmentName", attachment.name),
                ("Description", attachment.description),
                ("ContentType", attachment.content_type),
            ):
                if value:
                    writer.parts.append(f"      <{tag}>{_escape(value)}</{tag}>\n")
            encoded = base64.encodebytes(data).decode("ascii")
            writer.parts.append(f"      <ContentTransferEncoded>{encoded}</ContentTransferEncoded>\n")
            writer.parts.append("    </Attachment>\n")
        writer.parts.append("  </AttachmentEncoded>\n")
    writer.parts.append("</edXML>\n")
    return "".join(writer.parts).encode("utf-8")

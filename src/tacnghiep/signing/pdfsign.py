"""Signing one PDF: PAdES B-B (B-T with a timestamp authority, B-LT with revocation data).

Every signature is an incremental update, so earlier signatures stay valid. The
signer's revision also adds two empty text fields where the number and the
date go; the clerk's issuing revision fills them (form filling, which the
signer's signature allows) and adds the organization's seal. Anything drawn
onto the page itself (the text line of an attachment's invisible signature)
is drawn in the same revision as the signature that covers it.
"""

from __future__ import annotations

import binascii
import datetime
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.stamp import StaticStampStyle

from tacnghiep.signing.appearance import Box, boxed_text
from tacnghiep.signing.loops import outside_event_loop

NUMBER_FIELD = "so_ky_hieu"
DATE_FIELD = "ngay_ban_hanh"
# Fixed room for the CMS blob: skips pyHanko's dry-run signature that estimates it (half the cost).
# 8 KiB holds an RSA-4096 signature with a three-certificate chain; every reader of the file parses
# this hex string byte by byte, so a larger gap slows every validation. A timestamp token needs more.
DEFAULT_RESERVED = 8192
RESERVED_WITH_TIMESTAMP = 16384


class ImportedPdfBytes(PdfContent):
    """The first page of a PDF held in memory, as content of a signature appearance."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Import" + binascii.hexlify(uuid.uuid4().bytes).decode()
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode() + b" Do"


@dataclass
class Visible:
    box: Box
    appearance: bytes  # a one-page PDF drawn by tacnghiep.signing.appearance


@dataclass
class Job:
    field_name: str
    reason: str = ""
    location: str = ""
    visible: Visible | None = None
    # Drawn at the top right of page 1 before signing (invisible signatures of attachments and copies).
    text_line: tuple[bytes, float, float] | None = None
    # Empty text fields to create, and fields to fill (name → value, drawn in ``font``).
    placeholders: dict[str, Box] = field(default_factory=dict)
    fills: dict[str, str] = field(default_factory=dict)
    font: Path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    moment: datetime.datetime | None = None
    reserved: int = DEFAULT_RESERVED
    timestamper: Any = None
    # B-LT: revocation data gathered with this context is embedded.
    validation_context: Any = None


class _TimedSigner(signers.PdfSigner):
    """PdfSigner whose signing time is ours, so the printed time line and the signature agree."""

    moment: datetime.datetime | None = None

    def init_signing_session(self, *args: Any, **kwargs: Any) -> Any:
        session = super().init_signing_session(*args, **kwargs)
        if self.moment is not None:
            session.system_time = self.moment
        return session


def _acroform_fields(writer: IncrementalPdfFileWriter) -> generic.ArrayObject:
    root = writer.root
    try:
        form = root["/AcroForm"]
    except KeyError:
        form = generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
        root[pdf_name("/AcroForm")] = writer.add_object(form)
        writer.update_root()
    try:
        form_fields = form["/Fields"]
    except KeyError:
        form_fields = generic.ArrayObject()
        form[pdf_name("/Fields")] = form_fields
        writer.update_container(form)
    return form_fields  # type: ignore[no-any-return]


def _page_annots(writer: IncrementalPdfFileWriter, page_ix: int) -> generic.ArrayObject:
    page_ref = writer.find_page_for_modification(page_ix)[0]
    page = page_ref.get_object()
    try:
        annots = page["/Annots"]
    except KeyError:
        annots = generic.ArrayObject()
        page[pdf_name("/Annots")] = writer.add_object(annots)
        writer.update_container(page)
    return annots  # type: ignore[no-any-return]


def add_text_field(writer: IncrementalPdfFileWriter, name: str, box: Box) -> None:
    """An empty, read-only-looking text field (filled later by the issuing revision)."""
    page_ix = box.page
    page_ref = writer.find_page_for_modification(page_ix)[0]
    widget = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): pdf_string(name),
            pdf_name("/F"): generic.NumberObject(4),
            pdf_name("/Ff"): generic.NumberObject(0),
            pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(v) for v in box.as_tuple()),
            pdf_name("/P"): page_ref,
            pdf_name("/DA"): pdf_string("/Helv 0 Tf 0 g"),
            pdf_name("/V"): pdf_string(""),
        }
    )
    ref = writer.add_object(widget)
    form_fields = _acroform_fields(writer)
    form_fields.append(ref)
    writer.update_container(form_fields)
    annots = _page_annots(writer, page_ix)
    annots.append(ref)
    writer.update_container(annots)


def _field(writer: IncrementalPdfFileWriter, name: str) -> Any:
    for ref in _acroform_fields(writer):
        candidate = ref.get_object()
        if candidate.get("/T") == name:
            return ref
    return None


def fill_text_field(writer: IncrementalPdfFileWriter, name: str, value: str, font: Path) -> bool:
    """Fill a field the signer's revision created; False when the document has no such field."""
    ref = _field(writer, name)
    if ref is None:
        return False
    widget = ref.get_object()
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    appearance = boxed_text(value, font, abs(x2 - x1), abs(y2 - y1))
    xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(appearance)), page_ix=0)
    widget[pdf_name("/V")] = pdf_string(value)
    widget[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): xobject})
    writer.update_container(widget)
    return True


def draw(writer: IncrementalPdfFileWriter, page_ix: int, pdf: bytes, x: float, y: float) -> None:
    """Draw a one-page PDF onto a page at (x, y), as part of this revision's content."""
    xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(pdf)), page_ix=0)
    name = "/Tn" + uuid.uuid4().hex[:12]
    content = generic.StreamObject(stream_data=f"q 1 0 0 1 {x:.2f} {y:.2f} cm {name} Do Q".encode())
    resources = generic.DictionaryObject({pdf_name("/XObject"): generic.DictionaryObject({pdf_name(name): xobject})})
    writer.add_stream_to_page(page_ix, writer.add_object(content), resources=resources)


def page_size(writer: IncrementalPdfFileWriter, page_ix: int) -> tuple[float, float]:
    page = writer.find_page_for_modification(page_ix)[0].get_object()
    x1, y1, x2, y2 = (float(v) for v in page["/MediaBox"])
    return abs(x2 - x1), abs(y2 - y1)


def page_count(data: bytes) -> int:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return int(reader.root["/Pages"]["/Count"])


def sign(data: bytes, signer: Any, job: Job) -> bytes:
    """The signed PDF: ``data`` with one more revision holding ``job``'s changes and the signature."""
    return outside_event_loop(_sign, data, signer, job)


def _sign(data: bytes, signer: Any, job: Job) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if job.text_line is not None:
        pdf, width, height = job.text_line
        page_w, page_h = page_size(writer, 0)
        draw(writer, 0, pdf, page_w - width - 40, page_h - height - 20)
    for name, box in job.placeholders.items():
        add_text_field(writer, name, box)
    for name, value in job.fills.items():
        fill_text_field(writer, name, value, job.font)
    field_spec = None
    style = None
    if job.visible is not None:
        box = job.visible.box
        page = box.page if box.page >= 0 else page_count(data) + box.page
        field_spec = fields.SigFieldSpec(sig_field_name=job.field_name, on_page=page, box=box.as_tuple())
        style = StaticStampStyle(background=ImportedPdfBytes(job.visible.appearance), border_width=0)
    else:
        field_spec = fields.SigFieldSpec(sig_field_name=job.field_name)
    meta = signers.PdfSignatureMetadata(
        field_name=job.field_name,
        reason=job.reason or None,
        location=job.location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=job.validation_context is not None,
        validation_context=job.validation_context,
    )
    pdf_signer = _TimedSigner(
        meta, signer=signer, timestamper=job.timestamper, stamp_style=style, new_field_spec=field_spec
    )
    pdf_signer.moment = job.moment
    output = io.BytesIO()
    reserved = max(job.reserved, RESERVED_WITH_TIMESTAMP) if job.timestamper is not None else job.reserved
    pdf_signer.sign_pdf(writer, output=output, bytes_reserved=reserved)
    return output.getvalue()


def font_path(configured: Path) -> Path:
    """The configured serif font, or DejaVu Serif when Liberation is not installed."""
    if configured.exists():
        return configured
    return Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def signature_widgets(data: bytes) -> list[tuple[str, Box]]:
    """Names and places of the visible signatures already in a PDF, in signing order."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    count = int(reader.root["/Pages"]["/Count"])
    pages = {reader.find_page_for_modification(ix)[0].idnum: ix for ix in range(min(count, 50))}
    found: list[tuple[str, Box]] = []
    for name, _value, ref in fields.enumerate_sig_fields(reader, filled_status=True):
        widget = ref.get_object()
        rect = widget.get("/Rect")
        page_ref = widget.get_value_as_reference("/P") if "/P" in widget else None
        if rect is None or page_ref is None or page_ref.idnum not in pages:
            continue
        x1, y1, x2, y2 = (float(v) for v in rect)
        if abs(x2 - x1) < 1 or abs(y2 - y1) < 1:
            continue
        found.append((name, Box(pages[page_ref.idnum], min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))))
    return found


def field_names(data: bytes) -> set[str]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}


def text_field_names(data: bytes) -> set[str]:
    """Names of the form fields a PDF has (the number and date placeholders among them)."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    try:
        form_fields = reader.root["/AcroForm"]["/Fields"]
    except KeyError:
        return set()
    return {str(ref.get_object().get("/T", "")) for ref in form_fields}

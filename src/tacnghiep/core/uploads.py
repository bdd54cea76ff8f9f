"""Checking uploaded files before anything keeps them, and storing them by content.

Every file that enters the system (scans of incoming documents, drafts,
attachments, imports) passes :func:`inspect`: it refuses an empty file, a file
over the size limit, a name that tries to climb out of its folder, content that
is not what the name says (checked by the bytes, never the browser's claim), a
ZIP bomb disguised as .docx/.xlsx, an image with absurd dimensions and a PDF with
more pages than the limit. Only then does :func:`store` write the bytes, under
their SHA-256, once.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from tacnghiep.core.models import StoredFile
from tacnghiep.core.pdfpages import PdfProblem, count_pages

log = logging.getLogger(__name__)

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), DOCX: (".docx",), XLSX: (".xlsx",)}
SCANS = frozenset({PDF, PNG, JPEG})
DRAFTS = frozenset({PDF, DOCX})
ATTACHMENTS = frozenset({PDF, PNG, JPEG, DOCX, XLSX})
CHUNK = 1024 * 1024


class Uploaded(Protocol):
    """What Django's UploadedFile and an opened file on disk both offer."""

    name: str | None

    def chunks(self, chunk_size: int | None = ...) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class Inspected:
    """An upload that passed every check, spooled to a temporary file."""

    name: str
    media_type: str
    size: int
    sha256: str
    page_count: int | None
    content: IO[bytes]
    # What the signing app found in a PDF (the verdict on its signatures), recorded by store().
    findings: dict[str, Any] | None = None


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def safe_name(raw: str | None) -> str:
    """The name as a person gave it, or a refusal if it names a path or hides characters."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise _refuse(_("The file has no name."), "no_name")
    if any(sep in name for sep in ("/", "\\")) or name in {".", ".."} or name.startswith(".."):
        raise _refuse(_("The file name must not contain a folder path (“%(name)s”).") % {"name": name[:80]}, "path")
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in name):
        raise _refuse(_("The file name contains control characters."), "control")
    if len(name) > 200:
        raise _refuse(_("The file name is longer than 200 characters."), "long_name")
    return name


def _sniff(head: bytes) -> str | None:
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _spool(upload: Uploaded) -> tuple[IO[bytes], int, str]:
    """Copy to a temporary file while hashing; stop reading at the size limit."""
    limit = settings.UPLOAD_MAX_BYTES
    spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115 - handed to the caller
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks(CHUNK):
        size += len(chunk)
        if size > limit:
            spool.close()
            raise _refuse(
                _("The file is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, "too_large"
            )
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    return spool, size, digest.hexdigest()


def _office_kind(content: IO[bytes]) -> str:
    """Tell .docx from .xlsx and refuse archives that would unpack to far more than they weigh."""
    try:
        archive = zipfile.ZipFile(content)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(_("The file is a damaged or unsupported archive."), "bad_zip") from exc
    if len(entries) > settings.UPLOAD_MAX_ARCHIVE_ENTRIES:
        raise _refuse(_("The document contains too many parts to be a real office file."), "zip_entries")
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    worst = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0)
    if unpacked > settings.UPLOAD_MAX_UNPACKED_BYTES or (
        unpacked > CHUNK and max(worst, unpacked / packed) > settings.UPLOAD_MAX_COMPRESSION_RATIO
    ):
        raise _refuse(_("The document would unpack to an unreasonable size (a compression bomb)."), "zip_bomb")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    raise _refuse(_("The archive is not a Word (.docx) or Excel (.xlsx) document."), "not_office")


# Set by the signing app: reads an untrusted PDF in a bounded child process and returns its
# page count and the verdict on its signatures. Without it, pages are counted in-process.
PdfInspector = Callable[[bytes, int], tuple[int, dict[str, Any] | None]]
FindingsRecorder = Callable[[StoredFile, dict[str, Any]], None]
_pdf_inspector: PdfInspector | None = None
_findings_recorder: FindingsRecorder | None = None


def use_pdf_inspector(inspector: PdfInspector, recorder: FindingsRecorder) -> None:
    global _pdf_inspector, _findings_recorder
    _pdf_inspector, _findings_recorder = inspector, recorder


def _pdf_message(problem: PdfProblem, limit: int) -> ValidationError:
    messages = {
        "pdf_encrypted": _("The PDF is password-protected; upload it without the password."),
        "pdf_empty": _("The PDF has no pages."),
        "pdf_too_complex": _(
            "The PDF is too complex to be read safely (it exceeded the time or memory allowed); it may be damaged."
        ),
        "pages": _("The PDF has %(n)s pages; the limit is %(limit)s.") % {"n": problem.pages, "limit": limit},
    }
    return _refuse(messages.get(problem.code, _("The PDF is damaged and cannot be read.")), problem.code)


def _pdf_pages(content: IO[bytes]) -> tuple[int, dict[str, Any] | None]:
    limit = settings.UPLOAD_MAX_PAGES
    try:
        if _pdf_inspector is not None:
            data = content.read()
            content.seek(0)
            return _pdf_inspector(data, limit)
        return count_pages(content, limit), None
    except PdfProblem as problem:
        raise _pdf_message(problem, limit) from problem


def _png_pixels(head: bytes) -> int:
    width, height = struct.unpack(">II", head[16:24])
    return int(width) * int(height)


def _jpeg_pixels(content: IO[bytes]) -> int:
    """Width × height from the first start-of-frame marker."""
    data = content.read(4 * CHUNK)
    content.seek(0)
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}:
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width) * int(height)
        if marker in {0xD8, 0x01} or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        i += 2 + int(length)
    raise _refuse(_("The image is damaged and cannot be read."), "image_broken")


def inspect(upload: Uploaded, allowed: Iterable[str]) -> Inspected:
    """Check one upload against ``allowed`` media types; raise a Vietnamese ValidationError or return it spooled."""
    allowed = frozenset(allowed)
    name = safe_name(upload.name)
    content, size, sha256 = _spool(upload)
    try:
        if size == 0:
            raise _refuse(_("The file “%(name)s” is empty.") % {"name": name}, "empty")
        head = content.read(1024)
        content.seek(0)
        kind = _sniff(head)
        if kind == "zip":
            kind = _office_kind(content)
            content.seek(0)
        if kind is None or kind not in allowed:
            raise _refuse(_("“%(name)s” is not an accepted file type (%(types)s).") % _types(name, allowed), "type")
        if not name.lower().endswith(EXTENSIONS[kind]):
            raise _refuse(
                _("The content of “%(name)s” does not match its extension; it is a %(ext)s file.")
                % {"name": name, "ext": EXTENSIONS[kind][0]},
                "mismatch",
            )
        pages = None
        findings = None
        if kind == PDF:
            pages, findings = _pdf_pages(content)
            content.seek(0)
        elif kind in {PNG, JPEG}:
            pixels = _png_pixels(head) if kind == PNG else _jpeg_pixels(content)
            if pixels > settings.UPLOAD_MAX_PIXELS or pixels == 0:
                raise _refuse(_("The image dimensions are not plausible for a scan."), "pixels")
            pages = 1
    except ValidationError:
        content.close()
        raise
    return Inspected(
        name=name, media_type=kind, size=size, sha256=sha256, page_count=pages, content=content, findings=findings
    )


def _types(name: str, allowed: frozenset[str]) -> dict[str, str]:
    extensions = sorted(ext for kind in allowed for ext in EXTENSIONS[kind][:1])
    return {"name": name, "types": ", ".join(extensions)}


def store(inspected: Inspected) -> StoredFile:
    """Keep the bytes under their hash (once) and return the row that refers to them.

    Call inside the transaction that links the file to its document. If that
    transaction rolls back, the bytes may stay without a row; they are harmless
    (never served without one) and the same upload later reuses them.
    """
    existing = StoredFile.objects.filter(sha256=inspected.sha256).first()
    if existing is not None:
        _record(existing, inspected)
        return existing
    stored = StoredFile(
        sha256=inspected.sha256,
        size=inspected.size,
        media_type=inspected.media_type,
        page_count=inspected.page_count,
    )
    if not default_storage.exists(stored.storage_name):
        inspected.content.seek(0)
        saved = default_storage.save(stored.storage_name, File(inspected.content))
        if saved != stored.storage_name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
    stored.save()
    _record(stored, inspected)
    return stored


def _record(stored: StoredFile, inspected: Inspected) -> None:
    if inspected.findings is not None and _findings_recorder is not None:
        _findings_recorder(stored, inspected.findings)


def open_stored(stored: StoredFile) -> IO[bytes]:
    return default_storage.open(stored.storage_name, "rb")


class NamedPath:
    """A file on disk with the name to give it (packages received over the exchange)."""

    def __init__(self, name: str, path: Path) -> None:
        self.name: str | None = name
        self._path = path

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with self._path.open("rb") as stream:
            while chunk := stream.read(chunk_size or CHUNK):
                yield chunk


class NamedBytes:
    """Bytes with a name, for services that receive files from the CLI, the API or the bus."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name: str | None = name
        self._data = data

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        stream = io.BytesIO(self._data)
        while chunk := stream.read(chunk_size or CHUNK):
            yield chunk

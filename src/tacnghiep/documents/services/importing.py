"""Bulk import of registers kept in older systems (nhập sổ văn bản đến từ hệ thống cũ).

The spreadsheet has one row per incoming document and a header row naming the
columns (Vietnamese, case and tones ignored). Everything is checked first —
every cell and every named file — and the import happens only if nothing is
wrong, in one transaction: all rows or none. Arrival numbers are kept as the
old register gave them; the register's counters continue after the highest.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, uploads
from tacnghiep.core.access import deny
from tacnghiep.core.text import fold, normalize
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.documents.models import (
    Direction,
    DocumentEvent,
    DocumentFile,
    EventKind,
    FileRole,
    IncomingDocument,
    Register,
    RegisterCounter,
    is_secret_level,
)
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services.numbering import period_key, series_key
from tacnghiep.search.services import enqueue_many

MAX_ROWS = 200_000

# Column key → accepted header texts (folded). The first is the one the template uses.
COLUMNS: dict[str, tuple[str, ...]] = {
    "register": ("so van ban", "so", "ma so"),
    "arrival_number": ("so den",),
    "arrived_at": ("ngay den",),
    "issuer_name": ("tac gia", "co quan ban hanh", "noi gui"),
    "code_notation": ("so, ky hieu", "so ky hieu", "ky hieu"),
    "issued_on": ("ngay thang van ban", "ngay van ban", "ngay ban hanh"),
    "document_type": ("the loai", "ten loai", "loai van ban"),
    "subject": ("trich yeu", "trich yeu noi dung"),
    "signer_name": ("nguoi ky",),
    "urgency": ("do khan",),
    "secrecy": ("do mat",),
    "due_on": ("han xu ly",),
    "page_count": ("so trang",),
    "files": ("tep", "tep dinh kem", "ban quet"),
}
REQUIRED = ("register", "arrival_number", "arrived_at", "issuer_name", "document_type", "subject")
HEADERS_VI = {
    "register": "Sổ văn bản",
    "arrival_number": "Số đến",
    "arrived_at": "Ngày đến",
    "issuer_name": "Tác giả",
    "code_notation": "Số, ký hiệu",
    "issued_on": "Ngày tháng văn bản",
    "document_type": "Thể loại",
    "subject": "Trích yếu",
    "signer_name": "Người ký",
    "urgency": "Độ khẩn",
    "secrecy": "Độ mật",
    "due_on": "Hạn xử lý",
    "page_count": "Số trang",
    "files": "Tệp",
}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


class ImportRejected(ValidationError):
    """Something in the file is wrong; nothing was imported. ``problems`` says what and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            _("Nothing was imported: %(n)s problems were found. See the report.") % {"n": len(problems)},
            code="import_rejected",
        )


FileSource = Callable[[str], uploads.Uploaded | None]
Progress = Callable[[str, int, int], None]


def directory_files(folder: Path) -> FileSource:
    """Files named in the sheet, looked up in one folder; a name may not leave it."""
    root = folder.resolve()

    def find(name: str) -> uploads.Uploaded | None:
        safe = uploads.safe_name(name)
        path = (root / safe).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return _DiskFile(path, safe)

    return find


class _DiskFile:
    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name: str | None = name

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with self.path.open("rb") as stream:
            while chunk := stream.read(chunk_size or uploads.CHUNK):
                yield chunk


def read_sheet(data: bytes) -> tuple[dict[str, int], list[tuple[int, list[Any]]]]:
    """The header map (column key → index) and the data rows with their spreadsheet row numbers."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ValidationError(_("The spreadsheet cannot be read; save it as .xlsx and try again.")) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        key = _column_key(str(text or ""))
        if key and key not in columns:
            columns[key] = index
    missing = [HEADERS_VI[k] for k in REQUIRED if k not in columns]
    if missing:
        raise ValidationError(_("The sheet has no column %(names)s.") % {"names": ", ".join(missing)})
    body = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        body.append((number, list(values)))
        if len(body) > MAX_ROWS:
            raise ValidationError(_("More than %(n)s rows; split the file.") % {"n": MAX_ROWS})
    book.close()
    return columns, body


def _column_key(text: str) -> str | None:
    folded = fold(text).strip(" *:")
    for key, names in COLUMNS.items():
        if folded in names:
            return key
    return None


@dataclass
class Prepared:
    row: int
    document: IncomingDocument
    files: list[uploads.Inspected] = field(default_factory=list)


class _Catalogs:
    def __init__(self) -> None:
        self.entries: dict[str, dict[str, CatalogEntry]] = {}
        for entry in CatalogEntry.objects.filter(retired_on__isnull=True).select_related("catalog"):
            table = self.entries.setdefault(entry.catalog.code, {})
            for key in (entry.code, fold(entry.name), fold(entry.short_name)):
                if key:
                    table.setdefault(key, entry)

    def find(self, catalog: str, value: object) -> CatalogEntry | None:
        text = fold(str(value or ""))
        return self.entries.get(catalog, {}).get(text)


def _date(value: object) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _moment(value: object) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        text = str(value or "").strip()
        for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                moment = datetime.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            if isinstance(value, datetime.date):
                moment = datetime.datetime.combine(value, datetime.time(8, 0))
            else:
                raise ValueError(text)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _integer(value: object) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


@dataclass
class _Context:
    columns: dict[str, int]
    registers: dict[str, Register]
    catalogs: _Catalogs
    files: FileSource
    actor: Actor
    taken: set[tuple[int, str, str, int]]
    seen: dict[tuple[int, str, str, int], int] = field(default_factory=dict)
    now: datetime.datetime = field(default_factory=timezone.now)

    def cell(self, values: list[Any], key: str) -> Any:
        index = self.columns.get(key)
        return values[index] if index is not None and index < len(values) else None


def check(
    actor: Actor, columns: dict[str, int], rows: list[tuple[int, list[Any]]], files: FileSource, progress: Progress
) -> tuple[list[Prepared], list[Problem]]:
    """Every row and every named file, against the same rules as registering one document by hand."""
    registers: dict[str, Register] = {}
    for register in register_selectors.usable(actor, Direction.INCOMING).select_related("organization"):
        registers[fold(register.name)] = register
        registers[str(register.pk)] = register
    ctx = _Context(
        columns=columns,
        registers=registers,
        catalogs=_Catalogs(),
        files=files,
        actor=actor,
        taken=_existing_numbers({r.pk for r in registers.values()}),
    )
    problems: list[Problem] = []
    prepared: list[Prepared] = []
    for position, (number, values) in enumerate(rows, start=1):
        item, found = _check_row(ctx, number, values)
        problems += found
        if item is not None:
            prepared.append(item)
        if position % 200 == 0 or position == len(rows):
            progress("checking", position, len(rows))
    return prepared, problems


def _check_row(ctx: _Context, number: int, values: list[Any]) -> tuple[Prepared | None, list[Problem]]:
    found: list[Problem] = []

    def fail(key: str, message: str) -> None:
        found.append(Problem(number, HEADERS_VI[key], message))

    raw_register = str(ctx.cell(values, "register") or "").strip()
    register = ctx.registers.get(fold(raw_register)) or ctx.registers.get(raw_register)
    if register is None:
        fail("register", _("No incoming register of yours has this name."))
    parsed: dict[str, Any] = {}
    for key, parse, message in (
        ("arrival_number", _integer, _("Write the arrival number as a whole number.")),
        ("arrived_at", _moment, _("Write the date as dd/mm/yyyy (with hh:mm if known).")),
        ("issued_on", _date, _("Write the date as dd/mm/yyyy.")),
        ("due_on", _date, _("Write the date as dd/mm/yyyy.")),
        ("page_count", _integer, _("Write the number of pages as a whole number.")),
    ):
        try:
            parsed[key] = parse(ctx.cell(values, key))
        except ValueError:
            fail(key, message)
    for key in ("subject", "issuer_name"):
        parsed[key] = normalize(str(ctx.cell(values, key) or ""))
        if not parsed[key]:
            fail(key, _("This cell is required."))
    if parsed.get("arrival_number") is not None and parsed["arrival_number"] < 1:
        fail("arrival_number", _("Write the arrival number as a whole number."))
    arrived = parsed.get("arrived_at")
    if arrived and arrived > ctx.now:
        fail("arrived_at", _("The arrival date is in the future."))
    if parsed.get("issued_on") and arrived and parsed["issued_on"] > timezone.localdate(arrived):
        fail("issued_on", _("The issued date cannot be after the arrival date."))
    catalogs = ctx.catalogs
    document_type = catalogs.find("document-types", ctx.cell(values, "document_type"))
    if document_type is None:
        fail("document_type", _("Not a document type of the catalog."))
    urgency = catalogs.find("urgency-levels", ctx.cell(values, "urgency") or "thuong")
    if urgency is None:
        fail("urgency", _("Not an urgency level of the catalog."))
    secrecy = catalogs.find("secrecy-levels", ctx.cell(values, "secrecy") or "thuong")
    if secrecy is None:
        fail("secrecy", _("Not a secrecy level of the catalog."))
    inspected: list[uploads.Inspected] = []
    for name in [n.strip() for n in str(ctx.cell(values, "files") or "").split(";") if n.strip()]:
        try:
            source = ctx.files(name)
            if source is None:
                fail("files", _("The file “%(name)s” is not among the files given.") % {"name": name})
                continue
            inspected.append(uploads.inspect(source, uploads.SCANS | uploads.ATTACHMENTS))
        except ValidationError as exc:
            fail("files", " ".join(exc.messages))
    # The number is checked even when the row has other problems, so one report names them all.
    if (
        register is None
        or document_type is None
        or urgency is None
        or secrecy is None
        or arrived is None
        or parsed.get("arrival_number") is None
    ):
        return None, found
    try:
        period = period_key(register, timezone.localdate(arrived))
    except ValidationError as exc:
        fail("arrived_at", " ".join(exc.messages))
        return None, found
    series = series_key(register, document_type, secrecy)
    slot = (register.pk, period, series, parsed["arrival_number"])
    if slot in ctx.taken:
        fail("arrival_number", _("This arrival number is already in the register."))
    elif slot in ctx.seen:
        fail("arrival_number", _("The same arrival number is on row %(row)s.") % {"row": ctx.seen[slot]})
    ctx.seen.setdefault(slot, number)
    if found:
        return None, found
    notation = normalize(str(ctx.cell(values, "code_notation") or "")).replace(" ", "")
    signer = normalize(str(ctx.cell(values, "signer_name") or ""))
    document = IncomingDocument(
        register=register,
        organization=register.organization,
        arrival_period=period,
        arrival_series=series,
        arrival_number=parsed["arrival_number"],
        arrived_at=arrived,
        received_via="paper",
        issuer_name=parsed["issuer_name"][:200],
        code_notation=notation[:30],
        issued_on=parsed.get("issued_on"),
        document_type=document_type,
        subject=parsed["subject"][:500],
        signer_name=signer[:200],
        urgency=urgency,
        secrecy=secrecy,
        is_secret=is_secret_level(secrecy),
        due_on=parsed.get("due_on"),
        page_count=parsed.get("page_count"),
        registered_by=ctx.actor.person,
        search_text=fold(" ".join([parsed["subject"], parsed["issuer_name"], notation, signer]))[:1000],
    )
    return Prepared(number, document, inspected), found


def _existing_numbers(register_ids: set[int]) -> set[tuple[int, str, str, int]]:
    rows = IncomingDocument.objects.filter(register_id__in=register_ids).values_list(
        "register_id", "arrival_period", "arrival_series", "arrival_number"
    )
    return set(rows)


def import_sheet(
    *, actor: Actor, data: bytes, files: FileSource, progress: Progress | None = None
) -> list[IncomingDocument]:
    """Check the whole sheet, then import every row in one transaction, or raise :class:`ImportRejected`."""
    report = progress or (lambda phase, done, total: None)
    if not register_selectors.usable(actor, Direction.INCOMING).exists():
        raise deny("incoming.import", by=actor)
    columns, rows = read_sheet(data)
    if not rows:
        raise ValidationError(_("The sheet has no rows to import."))
    prepared, problems = check(actor, columns, rows, files, report)
    if problems:
        raise ImportRejected(problems)
    report("writing", 0, len(prepared))
    with transaction.atomic():
        created = IncomingDocument.objects.bulk_create([p.document for p in prepared], batch_size=1000)
        _raise_counters({p.document.register_id for p in prepared})
        links = []
        for item, document in zip(prepared, created, strict=True):
            for position, inspected in enumerate(item.files):
                links.append(
                    DocumentFile(
                        incoming=document,
                        file=uploads.store(inspected),
                        name=inspected.name,
                        role=FileRole.MAIN if position == 0 else FileRole.ATTACHMENT,
                        position=position,
                        added_by=actor.person,
                    )
                )
        DocumentFile.objects.bulk_create(links, batch_size=1000)
        DocumentEvent.objects.bulk_create(
            [
                DocumentEvent(
                    document=d,
                    kind=EventKind.REGISTERED,
                    actor=actor.person,
                    acting_for=actor.acting_for,
                    text=_("Imported"),
                )
                for d in created
            ],
            batch_size=1000,
        )
        enqueue_many("incoming", [d.pk for d in created])
        audit.record(
            "incoming.import",
            by=actor,
            details={
                "rows": len(created),
                "registers": sorted({d.register_id for d in created}),
                "files": len(links),
            },
        )
    report("done", len(created), len(created))
    return created


def _raise_counters(register_ids: set[int]) -> None:
    """Numbering continues after the highest imported number in each series."""
    highest = (
        IncomingDocument.objects.filter(register_id__in=register_ids)
        .values("register_id", "arrival_period", "arrival_series")
        .annotate(top=Max("arrival_number"))
    )
    for row in highest:
        counter, _created = RegisterCounter.objects.select_for_update().get_or_create(
            register_id=row["register_id"], period=row["arrival_period"], series=row["arrival_series"]
        )
        if counter.last_number < row["top"]:
            counter.last_number = row["top"]
            counter.save(update_fields=["last_number"])


def report_xlsx(problems: list[Problem]) -> bytes:
    from tacnghiep.core import exports

    return exports.xlsx(
        _("Problems"),
        [_("Row"), _("Column"), _("Problem")],
        ([p.row, p.column, p.message] for p in problems),
        [8, 24, 80],
    )


def template_xlsx(register: Register | None = None) -> bytes:
    """An empty sheet with the expected header row (offered for download on the import page)."""
    from tacnghiep.core import exports

    example: list[str | int | float | None] = [
        register.name if register else "Sổ văn bản đến",
        1,
        "02/01/2026 08:30",
        "Văn phòng Trung ương Đảng",
        "912-CV/VPTW/nb",
        "30/12/2025",
        "Công văn",
        "V/v triển khai thực hiện Quy định 399-QĐ/TW",
        "Nguyễn Văn A",
        "Thường",
        "Thường",
        "",
        2,
        "cv-912.pdf",
    ]
    return exports.xlsx(_("Incoming documents"), list(HEADERS_VI.values()), [example], [18] * len(HEADERS_VI))

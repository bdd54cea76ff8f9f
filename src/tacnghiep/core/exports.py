"""Tables as spreadsheets (.xlsx) and printable PDFs, for registers, statistics and logs.

PDFs use a TrueType font with Vietnamese glyphs (DejaVu Sans from Debian's
fonts-dejavu-core by default, ``TACNGHIEP_PDF_FONT`` to change it); the page is
A4 landscape with the header row repeated on every page.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

Cell = str | int | float | None


def xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], widths: Sequence[int] = ()) -> bytes:
    """A one-sheet workbook, written row by row (a year's register does not sit in memory twice)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[_column(index)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _safe(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula is kept as text (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


@cache
def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = Path(getattr(settings, "PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    if not path.exists():
        raise RuntimeError(f"PDF font not found: {path} (install fonts-dejavu-core or set TACNGHIEP_PDF_FONT)")
    pdfmetrics.registerFont(TTFont("TacnghiepSans", str(path)))
    return "TacnghiepSans"


def pdf(
    title: str, subtitle: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], widths: Sequence[float]
) -> bytes:
    """A printable table; ``widths`` are relative (they are scaled to the page)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    font = _font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, fontSize=8)
    heading = ParagraphStyle("title", fontName=font, fontSize=14, leading=18, alignment=1)
    sub = ParagraphStyle("sub", fontName=font, fontSize=9, leading=12, alignment=1)
    out = io.BytesIO()
    page = landscape(A4)
    document = SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
    )
    total = sum(widths) or 1
    usable = page[0] - 24 * mm
    data = [[Paragraph(_escape(h), head) for h in headers]]
    data += [[Paragraph(_escape("" if v is None else str(v)), cell) for v in row] for row in rows]
    table = LongTable(data, colWidths=[usable * w / total for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    printed = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    document.build(
        [
            Paragraph(_escape(title), heading),
            Paragraph(_escape(f"{subtitle} – {printed}"), sub),
            Spacer(1, 4 * mm),
            table,
        ]
    )
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

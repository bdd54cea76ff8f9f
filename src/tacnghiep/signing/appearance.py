"""What signatures look like on the page (NĐ 30/2020 Phụ lục I), drawn with reportlab.

* The signer's signature: the handwritten-signature image (a transparent PNG,
  blue) in the signature block, between the title line and the name.
* The organization's signature: the seal image (a transparent PNG, red, at real
  size) covering about a third of the signer's image, on its left.
* Attachments and copies: an invisible signature, with one line of text at the
  top right of page 1 (Times New Roman 10 pt, upright, black; Liberation Serif
  has the same metrics).

Each drawing is a one-page PDF that pyHanko imports as a form XObject, so
Vietnamese text uses a real TrueType font. Where the text of a document puts
the name line and "Số:" is read from the PDF itself; when it cannot be found,
the boxes fall back to the usual layout of the form.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

MM = 72 / 25.4


@dataclass(frozen=True)
class Box:
    page: int  # 0-based; negative counts from the end
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


def _font(path: Path, name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def _canvas(width: float, height: float) -> tuple[io.BytesIO, Canvas]:
    buffer = io.BytesIO()
    drawing = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    return buffer, drawing


def _finish(buffer: io.BytesIO, drawing: Canvas) -> bytes:
    drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def _image(drawing: Canvas, png: bytes, width: float, height: float) -> None:
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(png))
    iw, ih = reader.getSize()
    scale = min(width / iw, height / ih)
    w, h = iw * scale, ih * scale
    drawing.drawImage(reader, (width - w) / 2, (height - h) / 2, w, h, mask="auto", preserveAspectRatio=True)


def signature_block(png: bytes | None, signer: str, font: Path, width: float, height: float) -> bytes:
    """The signer's visible signature: their image, or (without one) a plain "signed digitally" mark."""
    buffer, drawing = _canvas(width, height)
    if png:
        _image(drawing, png, width, height)
    else:
        face = _font(font, "SigningSerif")
        drawing.setFillColorRGB(0.05, 0.2, 0.6)
        drawing.setFont(face, 9)
        drawing.drawCentredString(width / 2, height / 2 + 2, "Đã ký số")
        drawing.setFont(face, 8)
        drawing.drawCentredString(width / 2, height / 2 - 10, signer[:60])
    return _finish(buffer, drawing)


def seal(png: bytes | None, organization: str, font: Path, size: float) -> bytes:
    """The organization's seal at real size; without an image, a red ring with the name."""
    buffer, drawing = _canvas(size, size)
    if png:
        _image(drawing, png, size, size)
    else:
        face = _font(font, "SigningSerif")
        drawing.setStrokeColorRGB(0.85, 0.1, 0.1)
        drawing.setFillColorRGB(0.85, 0.1, 0.1)
        drawing.setLineWidth(1.5)
        drawing.circle(size / 2, size / 2, size / 2 - 2)
        drawing.circle(size / 2, size / 2, size / 2 - 14)
        drawing.setFont(face, 7)
        words = organization.upper()[:60]
        drawing.drawCentredString(size / 2, size / 2 - 3, words[:28])
        if len(words) > 28:
            drawing.drawCentredString(size / 2, size / 2 - 12, words[28:56])
    return _finish(buffer, drawing)


def text_line(text: str, font: Path, size: float = 10, opaque: bool = False) -> tuple[bytes, float, float]:
    """One line of text as a tight one-page PDF; returns it with its width and height."""
    from reportlab.pdfbase import pdfmetrics

    face = _font(font, "SigningSerif")
    width = math.ceil(pdfmetrics.stringWidth(text, face, size)) + 2
    height = math.ceil(size * 1.3)
    buffer, drawing = _canvas(width, height)
    if opaque:
        drawing.setFillColorRGB(1, 1, 1)
        drawing.rect(0, 0, width, height, stroke=0, fill=1)
    drawing.setFillColorRGB(0, 0, 0)
    drawing.setFont(face, size)
    drawing.drawString(1, size * 0.3, text)
    return _finish(buffer, drawing), float(width), float(height)


# --- where things go -----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    text: str
    x: float
    y: float
    size: float


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def text_runs(data: bytes, page: int) -> tuple[list[Run], tuple[float, float]]:
    """The text pieces of one page with their positions, and the page size."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    target = reader.pages[page]
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(Run(text=text, x=x, y=y, size=(size or 12) * abs(tm[3] or 1) * abs(cm[3] or 1)))

    target.extract_text(visitor_text=visit)
    box = target.mediabox
    return runs, (float(box.width), float(box.height))


def find(runs: list[Run], pattern: str) -> Run | None:
    wanted = re.compile(pattern)
    for run in runs:
        if wanted.search(_fold(run.text)):
            return run
    return None


def signer_box(data: bytes, page_count: int, signer_name: str, width: float, height: float) -> Box:
    """Above the signer's name on the last page (the signature block), or the usual place on the right."""
    page = page_count - 1
    try:
        runs, (page_w, _page_h) = text_runs(data, page)
    except Exception:  # noqa: BLE001 - an odd text layer only costs us the guess
        runs, page_w = [], 595.0
    name = find(runs, re.escape(_fold(signer_name))) if signer_name else None
    if name is not None:
        centre = name.x + len(signer_name) * name.size * 0.25
        bottom = name.y + name.size * 1.2
    else:
        centre, bottom = page_w * 0.72, 160.0
    centre = min(max(centre, width / 2 + 10), page_w - width / 2 - 10)
    return Box(page, centre - width / 2, bottom, centre + width / 2, bottom + height)


def seal_box(signature: Box, size: float) -> Box:
    """The seal covers about a third of the signer's image, on its left, centred on it vertically."""
    right = signature.x1 + signature.width / 3
    centre_y = (signature.y1 + signature.y2) / 2
    return Box(signature.page, right - size, centre_y - size / 2, right, centre_y + size / 2)


@dataclass(frozen=True)
class Header:
    """Where the clerk writes on page 1: the number after "Số:", the place-and-date line, and that place."""

    number: Box
    date: Box
    place: str


def header(data: bytes) -> Header:
    """Read page 1 once: after "Số:" for the number, over "…, ngày … tháng … năm …" for the date.

    Without those words (a scan, an unusual form) the boxes take the usual places of
    NĐ 30's layout: the number on the left under the issuer, the date on the right.
    """
    try:
        runs, (page_w, page_h) = text_runs(data, 0)
    except Exception:  # noqa: BLE001 - an odd text layer only costs us the guess
        runs, (page_w, page_h) = [], (595.0, 842.0)
    label = find(runs, r"^\s*so\s*:")
    if label is not None:
        x = label.x + label.size * 1.6
        number = Box(0, x, label.y - 3, x + 150, label.y + label.size + 2)
    else:
        number = Box(0, 60, page_h - 120, 260, page_h - 106)
    line = find(runs, r"ngay\b.*thang\b.*nam\b|ngay\s*$")
    if line is not None:
        place = line.text.split(",")[0].strip() if "," in line.text else ""
        return Header(number, Box(0, line.x - 2, line.y - 3, page_w - 40, line.y + line.size + 2), place)
    return Header(number, Box(0, page_w - 300, page_h - 120, page_w - 40, page_h - 106), "")


def date_words(day: datetime.date, place: str) -> str:
    """NĐ 30 PL I: "Hà Nội, ngày 05 tháng 01 năm 2026" — days below 10 and months below 3 take a zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    words = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {words}" if place else words.capitalize()


def boxed_text(text: str, font: Path, width: float, height: float, italic_size: float | None = None) -> bytes:
    """Text on an opaque white box of exactly the field's size (covers the blanks printed beneath it)."""
    from reportlab.pdfbase import pdfmetrics

    face = _font(font, "SigningSerif")
    size = italic_size or max(min(height - 4, 14.0), 6.0)
    while size > 6 and pdfmetrics.stringWidth(text, face, size) > width - 2:
        size -= 0.5
    buffer, drawing = _canvas(width, height)
    drawing.setFillColorRGB(1, 1, 1)
    drawing.rect(0, 0, width, height, stroke=0, fill=1)
    drawing.setFillColorRGB(0, 0, 0)
    drawing.setFont(face, size)
    drawing.drawString(1, (height - size) / 2 + size * 0.2, text)
    return _finish(buffer, drawing)

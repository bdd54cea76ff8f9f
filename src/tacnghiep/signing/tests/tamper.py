"""A generated corpus of signed PDFs changed after signing, and poppler's pdfsig as an independent judge."""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path


def _byte_range(data: bytes) -> tuple[int, list[int]]:
    match = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))[-1]
    return match.start(), [int(g) for g in match.groups()]


def flip_signed_byte(data: bytes) -> bytes:
    """One byte changed inside the first signed range (in the objects, not the cross-reference table)."""
    _at, (_start, length, _second, _rest) = _byte_range(data)
    position = length // 3
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def append_page(data: bytes) -> bytes:
    """A new revision that adds a blank page."""
    from pypdf import PdfWriter

    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_annotation(data: bytes) -> bytes:
    """A new revision that puts a text annotation over page 1."""
    from pypdf import PdfWriter
    from pypdf.annotations import FreeText

    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_annotation(page_number=0, annotation=FreeText(text="Đã sửa", rect=(50, 50, 250, 90)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def replace_signature_appearance(data: bytes) -> bytes:
    """A new revision that redraws the appearance of the (visible) signature widget."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, RectangleObject

    writer = PdfWriter(io.BytesIO(data), incremental=True)
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            widget = ref.get_object()
            if widget.get("/FT") == "/Sig":
                stream = DecodedStreamObject()
                stream.set_data(b"1 0 0 rg 0 0 50 20 re f")
                stream.update(
                    {
                        NameObject("/Type"): NameObject("/XObject"),
                        NameObject("/Subtype"): NameObject("/Form"),
                        NameObject("/BBox"): RectangleObject((0, 0, 50, 20)),
                    }
                )
                widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(stream)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def widen_gap(data: bytes) -> bytes:
    """The byte range's gap widened by 40 bytes before the signature value (same length, so it still parses)."""
    at, (start, length, second, rest) = _byte_range(data)
    old = data[at : data.index(b"]", at) + 1]
    new_numbers = f"/ByteRange [{start} {length - 40} {second} {rest}]".encode()
    new = new_numbers + b" " * (len(old) - len(new_numbers))
    if len(new) != len(old):  # pragma: no cover - the padding always leaves room
        raise AssertionError("byte range did not fit")
    return data[:at] + new + data[at + len(old) :]


CORPUS: dict[str, Callable[[bytes], bytes]] = {
    "byte flipped in the signed range": flip_signed_byte,
    "page appended in a new revision": append_page,
    "annotation added": add_annotation,
    "signature appearance changed": replace_signature_appearance,
    "byte-range gap widened": widen_gap,
}


def pdfsig(data: bytes) -> list[dict[str, object]]:
    """poppler's verdict per signature: whether the signature is valid, and whether it covers the whole file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.pdf"
        path.write_bytes(data)
        result = subprocess.run(
            ["/usr/bin/pdfsig", "-nocert", str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    verdicts: list[dict[str, object]] = []
    for block in re.split(r"\nSignature #\d+:", result.stdout)[1:]:
        verdicts.append(
            {
                "valid": "Signature Validation: Signature is Valid." in block,
                "total": "- Total document signed" in block,
                "text": block.strip(),
            }
        )
    return verdicts


def words(data: bytes, page: int) -> dict[str, dict[str, float]]:
    """Words of a page with their boxes, as poppler's pdftotext places them (y from the top)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.pdf"
        path.write_bytes(data)
        result = subprocess.run(
            ["/usr/bin/pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    found: dict[str, dict[str, float]] = {}
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    for x1, y1, _x2, y2, text in re.findall(pattern, result.stdout):
        found[html.unescape(text)] = {"x": float(x1), "top": float(y1), "height": float(y2) - float(y1)}
    return found

"""Hostile PDFs made at test time: truncated, broken cross-references, circular or huge object streams, nesting."""

from __future__ import annotations

import struct
import zlib


def _pdf(objects: list[bytes], root: int = 1, xref: bool = True, size: int | None = None) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size or len(objects) + 1, root, start)
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def plain(pages: int = 1) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>" for _ in range(pages)]
    return _pdf(objects)


def truncated(signed: bytes) -> bytes:
    return signed[: len(signed) // 2]


def broken_xref() -> bytes:
    """Every cross-reference offset points into the middle of nowhere, and startxref past the end."""
    data = bytearray(plain(3))
    at = data.index(b"xref\n")
    table_end = data.index(b"trailer")
    table = bytes(data[at:table_end])
    lines = table.split(b"\n")
    broken = [lines[0], lines[1], lines[2]] + [b"9999999999 00000 n " for _ in lines[3:-1]] + [b""]
    data[at:table_end] = b"\n".join(broken)
    return bytes(data).replace(b"startxref\n%d" % at, b"startxref\n99999999")


def circular_pages() -> bytes:
    """A page tree whose node lists itself as its own kid."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def circular_object_stream() -> bytes:
    """An object stream that extends itself and claims a million objects."""
    header = b"4 0 5 20 "
    body = header + b"<< /Type /Page >> " + b"<< /Type /Pages >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _stream(b"/Type /ObjStm /N 1000000 /First %d /Extends 3 0 R" % len(header), body),
    ]
    return _pdf(objects)


def huge_object_stream(megabytes: int = 1500) -> bytes:
    """The page object inside an object stream that inflates to ``megabytes`` (mostly blanks)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    header = b"3 0 "
    compressor = zlib.compressobj(9)
    blanks = b" " * (1024 * 1024)
    packed = compressor.compress(header + page) + b"".join(compressor.compress(blanks) for _ in range(megabytes))
    packed += compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"null",
        _stream(b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(header), packed),
    ]
    data = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in enumerate(objects, start=1):
        if number == 3:
            continue  # lives in the object stream
        offsets[number] = len(data)
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[5] = len(data)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in (1, 2):
        rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    rows.append(struct.pack(">BIH", 2, 4, 0))
    rows += [struct.pack(">BIH", 1, offsets[4], 0), struct.pack(">BIH", 1, offsets[5], 0)]
    table = b"".join(rows)
    data += b"5 0 obj\n" + _stream(b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R", table) + b"\nendobj\n"
    data += b"startxref\n%d\n%%%%EOF\n" % offsets[5]
    return bytes(data)


def inflating_stream(megabytes: int = 1500) -> bytes:
    """A page whose content stream inflates to ``megabytes`` of zeros (about a thousand times its size)."""
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    packed = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"/Filter /FlateDecode", packed),
    ]
    return _pdf(objects)


def deep_nesting(depth: int = 200_000) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    return _pdf(objects)


def enormous_page_tree(kids: int = 8_000_000) -> bytes:
    """A page tree that declares one page but lists the same page millions of times (~50 MB)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [" + b"3 0 R " * kids + b"] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )

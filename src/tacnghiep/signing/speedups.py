"""Two measured speed-ups installed into pyHanko and asn1crypto (docs/decisions/0004-signing.md).

**Hex strings.**
pyHanko reads a hex string (``<0a1b…>``) one byte at a time through Python
generators. A signature's ``/Contents`` is such a string of 16,000+ digits, so
reading it was two thirds of the time of validating a one-page signed PDF. This
reader takes the string in one slice and decodes it with ``binascii``; anything
unusual in it (a ``%``, a character that is not a hex digit or whitespace, a
string that never ends) is handed to pyHanko's own reader, so errors and edge
cases behave exactly as before. ``tests/test_speedups.py`` checks the two
readers agree on generated input.

**Name comparison.** Checking a signature compares certificate names several
times, and asn1crypto prepares each value with RFC 4518 string preparation
(Unicode normalisation and mapping, slow for Vietnamese names) for every freshly
parsed certificate. The preparation depends only on the string, so its results
are remembered (a bounded cache).
"""

from __future__ import annotations

import binascii
import functools
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic

_original = generic.read_hex_string_from_stream
_WHITESPACE = b" \n\r\t\x00\x0c"
_DIGITS = b"0123456789abcdefABCDEF"
_CHUNK = 65536


def read_hex_string(stream: Any) -> Any:
    start = stream.tell()
    stream.read(1)  # the opening "<"
    pieces: list[bytes] = []
    while True:
        block = stream.read(_CHUNK)
        if not block:
            break
        end = block.find(b">")
        if end < 0:
            pieces.append(block)
            continue
        pieces.append(block[:end])
        stream.seek(start + 1 + sum(len(p) for p in pieces) + 1)
        digits = b"".join(pieces).translate(None, _WHITESPACE)
        if digits.translate(None, _DIGITS):
            break  # something pyHanko treats specially (a comment) or refuses: let it decide
        if len(digits) % 2:
            digits += b"0"
        return generic.pdf_string(binascii.unhexlify(digits))
    stream.seek(start)
    return _original(stream)


_original_prep = asn1_x509.NameTypeAndValue._ldap_string_prep


@functools.lru_cache(maxsize=8192)
def _prepared(string: str) -> str:
    return str(_original_prep(None, string))


def _ldap_string_prep(self: Any, string: str) -> str:
    return _prepared(string)


def install() -> None:
    generic.read_hex_string_from_stream = read_hex_string
    asn1_x509.NameTypeAndValue._ldap_string_prep = _ldap_string_prep

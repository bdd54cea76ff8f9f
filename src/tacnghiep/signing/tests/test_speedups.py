"""The speed-ups agree with the code they replace: hex strings read the same, names prepared the same."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.misc import PdfError

from tacnghiep.signing import speedups

_pieces = st.lists(
    st.sampled_from([b"0", b"7", b"a", b"F", b"c", b" ", b"\n", b"\r\n", b"\t", b"%", b"x", b"(", b"\x00"]),
    max_size=200,
)


def _read(reader, data: bytes) -> tuple[object, int]:
    stream = io.BytesIO(data)
    try:
        value = reader(stream)
    except PdfError as exc:
        return (type(exc).__name__, -1)
    return (bytes(value.original_bytes) if hasattr(value, "original_bytes") else value, stream.tell())


@settings(max_examples=500, deadline=None)
@given(body=_pieces, closed=st.booleans(), tail=st.binary(max_size=20))
def test_fast_and_original_readers_agree(body, closed, tail):
    data = b"<" + b"".join(body) + (b">" if closed else b"") + tail
    assert _read(speedups.read_hex_string, data) == _read(speedups._original, data)


def test_a_long_signature_value_is_read_in_one_go():
    digits = bytes.hex(bytes(range(256)) * 40).encode()
    stream = io.BytesIO(b"<" + digits + b"> /Next")
    value = speedups.read_hex_string(stream)
    assert bytes(value.original_bytes) == bytes(range(256)) * 40
    assert stream.read() == b" /Next"


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ ạảãáàặẳẵắằậẩẫấầẹẻẽéèệểễếềịỉĩíìọỏõóòộổỗốồợởỡớờụủũúùựửữứừỵỷỹýỳ"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=VIETNAMESE + "\u0301\u0323", max_size=40))
def test_prepared_names_are_the_same(text):
    assert speedups._ldap_string_prep(None, text) == speedups._original_prep(None, text)

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tacnghiep.core.text import fold, normalize


def test_fold_strips_tones_marks_case_and_maps_d():
    assert fold("Đảng ủy phường Xuân Hương – Đà Lạt") == "dang uy phuong xuan huong – da lat"
    assert fold("ĐẮK NÔNG") == "dak nong"


def test_fold_treats_nfd_input_like_nfc():
    nfc = "Nguyễn Thị Ánh"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert fold(nfd) == fold(nfc) == "nguyen thi anh"


def test_normalize_returns_nfc_and_collapses_spaces():
    assert normalize(unicodedata.normalize("NFD", "  Tỉnh   ủy ")) == "Tỉnh ủy"


vietnamese = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ "
)


@given(vietnamese)
def test_fold_is_the_same_for_any_normal_form(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))
    assert fold(fold(text)) == fold(text)
    assert "đ" not in fold(text)


def test_nul_characters_are_dropped():
    assert normalize("Tỉnh\x00 ủy") == "Tỉnh ủy"
    assert fold("Đ\x00ắk") == "dak"

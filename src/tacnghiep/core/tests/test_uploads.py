"""Every upload is checked by content before anything is stored (reference/reliability.md, hostile uploads)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import translation

from tacnghiep.core import uploads
from tacnghiep.core.models import StoredFile
from tacnghiep.core.tests import samples


def refused(name: str, data: bytes, allowed=uploads.ATTACHMENTS) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        uploads.inspect(samples.named(name, data), allowed)
    return caught.value


def test_a_real_pdf_passes_with_its_page_count_and_hash():
    data = samples.pdf(3)
    inspected = uploads.inspect(samples.named("Công văn 12.pdf", data), uploads.SCANS)
    assert (inspected.media_type, inspected.page_count, inspected.size) == (uploads.PDF, 3, len(data))
    assert inspected.name == "Công văn 12.pdf"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("trong.pdf", b"", "empty"),
        ("virus.pdf", b"MZ\x90\x00" + b"\0" * 200, "type"),
        ("anh.pdf", samples.png(), "mismatch"),
        ("du-thao.pdf", samples.docx(), "mismatch"),
        ("bang.docx", samples.pdf(), "mismatch"),
        ("bom.docx", samples.docx_bomb(), "zip_bomb"),
        ("hong.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "pdf_broken"),
        ("qua-nhieu-trang.pdf", samples.pdf_claiming_pages(10_000), "pages"),
        ("../../etc/passwd.pdf", samples.pdf(), "path"),
        ("..\\..\\windows\\evil.pdf", samples.pdf(), "path"),
        ("an\u202etxt.pdf", samples.pdf(), "control"),
        ("khong-la-zip.docx", b"PK\x03\x04" + b"\0" * 100, "bad_zip"),
        ("anh-khong-lo.png", samples.png(200_000, 200_000), "pixels"),
    ],
)
def test_hostile_uploads_are_refused_in_vietnamese(name, data, code):
    with translation.override("vi"):
        error = refused(name, data)
    assert error.code == code
    message = " ".join(error.messages)
    assert any(ch in message for ch in "ảạặếệốộ"), message  # a Vietnamese sentence, not a stack trace


def test_a_real_ten_thousand_page_pdf_is_refused():
    error = refused("10000-trang.pdf", samples.pdf(10_000), uploads.SCANS)
    assert error.code == "pages"


def test_the_size_limit_stops_reading(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert refused("lon.pdf", samples.pdf(20)).code == "too_large"


def test_a_scan_slot_refuses_office_files():
    assert refused("ban-scan.docx", samples.docx(), uploads.SCANS).code == "type"


@pytest.mark.django_db
def test_content_is_stored_once_under_its_hash():
    data = samples.pdf(2)
    first = uploads.store(uploads.inspect(samples.named("a.pdf", data), uploads.SCANS))
    second = uploads.store(uploads.inspect(samples.named("b.pdf", data), uploads.SCANS))
    assert first.pk == second.pk
    assert StoredFile.objects.count() == 1
    with uploads.open_stored(first) as stream:
        assert stream.read() == data
    assert default_storage.exists(first.storage_name)
    assert first.storage_name.endswith(first.sha256)

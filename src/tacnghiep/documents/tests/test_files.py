"""Scans and attachments through the pages: checked by content, stored once, served only to readers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tacnghiep.core.models import AuditRecord, StoredFile
from tacnghiep.core.tests import samples
from tacnghiep.documents.models import DocumentFile, IncomingDocument
from tacnghiep.documents.tests.test_views import form


def upload(name, data, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_scans_and_attachments_are_registered_with_the_document(world, register, client_for):
    client = client_for(world.clerk_a)
    scan = samples.pdf(3)
    response = client.post(
        "/van-ban-den/vao-so/",
        {
            **form(register),
            "scans": [upload("trang-1-3.pdf", scan), upload("trang-4.png", samples.png(), "image/png")],
            "attachments": [upload("phu-luc.docx", samples.docx(), "application/octet-stream")],
        },
    )
    assert response.status_code == 302
    document = IncomingDocument.objects.get()
    files = list(DocumentFile.objects.filter(incoming=document).order_by("position"))
    assert [(f.name, f.role) for f in files] == [
        ("trang-1-3.pdf", "main"),
        ("trang-4.png", "main"),
        ("phu-luc.docx", "attachment"),
    ]
    assert document.page_count == 4  # three PDF pages and one image, counted when none was typed
    download = client.get(f"/tep/{files[0].pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == scan
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    viewer = client.get(f"/tep/{files[0].pk}/xem/").content.decode()
    assert f"/tep/{files[0].pk}/?inline=1" in viewer
    assert "pdf.min.mjs" in viewer or "pdfview.mjs" in viewer


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("trong.pdf", b"", "rỗng"),
        ("gia-mao.pdf", b"MZ\x90\x00" + b"\0" * 64, "không thuộc loại tệp"),
        ("bom.docx", samples.docx_bomb(), "bom nén"),
        ("qua-dai.pdf", samples.pdf_claiming_pages(10_000), "10000 trang"),
    ],
)
def test_hostile_uploads_change_nothing(world, register, client_for, name, data, message):
    client = client_for(world.clerk_a)
    field = "attachments" if name.endswith(".docx") else "scans"
    response = client.post("/van-ban-den/vao-so/", {**form(register), field: [upload(name, data)]})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IncomingDocument.objects.exists()
    assert not StoredFile.objects.exists()
    assert not AuditRecord.objects.filter(action="incoming.register").exists()


def test_a_path_in_an_uploaded_name_never_reaches_the_disk(world, register, client_for, settings, tmp_path):
    """Django keeps only the last part of a multipart file name; the bytes are stored under their hash.

    (Names with folders that arrive another way, e.g. from an import, are refused: core/tests/test_uploads.py.)
    """
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = client_for(world.clerk_a)
    data = samples.pdf()
    client.post("/van-ban-den/vao-so/", {**form(register), "scans": [upload("../../../etc/cron.d/x.pdf", data)]})
    item = DocumentFile.objects.get()
    assert item.name == "x.pdf"
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.name for p in written] == [item.file.sha256]
    assert written[0].is_relative_to(tmp_path / "media" / "files")


def test_files_are_served_only_to_readers_and_denials_are_audited(world, register, client_for):
    client_for(world.clerk_a).post(
        "/van-ban-den/vao-so/", {**form(register), "scans": [upload("a.pdf", samples.pdf())]}
    )
    item = DocumentFile.objects.get()
    assert client_for(world.leader_a).get(f"/tep/{item.pk}/").status_code == 200
    outsider = client_for(world.specialist_b)
    for path in (f"/tep/{item.pk}/", f"/tep/{item.pk}/xem/"):
        assert outsider.get(path).status_code == 404
    assert AuditRecord.objects.filter(actor=world.specialist_b, action="file.download", outcome="denied").exists()


def test_reading_a_secret_documents_file_is_audited(world, register, client_for):
    from tacnghiep.directory.models import CatalogEntry

    secret = CatalogEntry.objects.get(catalog__code="secrecy-levels", code="mat")
    client = client_for(world.clerk_a)
    client.post(
        "/van-ban-den/vao-so/", {**form(register, secrecy=secret.pk), "scans": [upload("mat.pdf", samples.pdf())]}
    )
    document = IncomingDocument.objects.get()
    assert document.is_secret
    item = DocumentFile.objects.get()
    # The registering clerk reads it; another clerk of the same commune does not, until granted.
    from tacnghiep.directory.models import Role
    from tacnghiep.directory.tests.factories import staff

    other_clerk = staff(world.commune_a_office, Role.CLERK, role_at=world.commune_a, username="vanthu2.a")
    assert client_for(other_clerk).get(f"/van-ban-den/{document.pk}/").status_code == 404
    assert client.get(f"/tep/{item.pk}/").status_code == 200
    assert AuditRecord.objects.filter(action="file.read_secret", actor=world.clerk_a).count() == 1
    leader = client_for(world.leader_a)
    assert leader.post(f"/van-ban-den/{document.pk}/cap-quyen/", {"person": other_clerk.pk}).status_code == 302
    assert client_for(other_clerk).get(f"/van-ban-den/{document.pk}/").status_code == 200
    assert AuditRecord.objects.filter(action="incoming.read_secret", actor=other_clerk).count() == 1

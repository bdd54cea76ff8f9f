"""ZIP-wrapped attachments: unwrapped on arrival within the archive limits, wrapped for peers that expect it."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.tests.factories import OrganizationFactory
from tacnghiep.documents.services import issuing
from tacnghiep.documents.services.issuing import RecipientSpec
from tacnghiep.documents.tests.test_outgoing import approved
from tacnghiep.exchange import archives, edxml, packaging
from tacnghiep.exchange.hubclient import Listed
from tacnghiep.exchange.models import InboundPackage
from tacnghiep.exchange.services import inbox

pytestmark = pytest.mark.django_db

OURS = "000.01.12.A49"
THEIRS = "000.00.00.A50"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _arrive(world, tmp_path: Path, number: int, attachment: bytes, name: str) -> InboundPackage:
    world.commune_a.code_qcvn102 = OURS
    world.commune_a.save()
    source = tmp_path / f"source-{number}"
    source.write_bytes(attachment)
    document_id = f"{THEIRS},2026/11/22,{number}/KH-TU"
    package = edxml.Package(
        kind="document",
        sender=edxml.Organization(organ_id=THEIRS, name="Tỉnh ủy Bình An"),
        recipients=[edxml.Organization(organ_id=OURS)],
        fields={"DocumentId": document_id, "CodeNumber": str(number), "CodeNotation": "KH-TU", "Subject": "Kế hoạch"},
        business={"DocumentId": document_id, "BussinessDocType": "0"},
        attachments=[edxml.Attachment(content_id="cid:1", name=name, content_type="application/zip", path=source)],
    )
    parsed = edxml.parse(io.BytesIO(edxml.build(package)), folder=tmp_path)
    inbox.accept_document(Listed(doc_id=f"hub-{number}", message_type="edoc", sender=THEIRS, created=""), parsed)
    return InboundPackage.objects.get(hub_doc_id=f"hub-{number}")


def test_a_zip_wrapped_attachment_arrives_as_the_files_inside(world, tmp_path):
    pdf = samples.pdf(2, "Phụ lục")
    inbound = _arrive(
        world, tmp_path, 31, _zip({"thu-muc/ke-hoach.pdf": pdf, "../../phu-luc.pdf": samples.pdf(1)}), "goi.zip"
    )
    files = list(inbound.files.select_related("file").order_by("position"))
    assert [f.name for f in files] == ["ke-hoach.pdf", "phu-luc.pdf"]
    assert files[0].file.sha256 == hashlib.sha256(pdf).hexdigest()
    assert files[0].file.page_count == 2
    assert inbound.note == ""


def test_a_compression_bomb_is_noted_and_not_kept(world, tmp_path, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
    bomb = _zip({"bom.pdf": b"\0" * (20 * 1024 * 1024)})
    inbound = _arrive(world, tmp_path, 32, bomb, "bom.zip")
    assert inbound.files.count() == 0
    assert "bom.zip" in inbound.note
    assert "nén" in inbound.note or "bomb" in inbound.note


def test_a_damaged_archive_is_noted(world, tmp_path):
    inbound = _arrive(world, tmp_path, 33, b"PK\x03\x04 not really a zip", "hong.zip")
    assert inbound.files.count() == 0
    assert "hong.zip" in inbound.note


def test_peers_that_expect_zip_get_each_file_wrapped(world, outgoing_register, tmp_path, settings):
    settings.EXCHANGE_ZIP_ATTACHMENTS = True
    world.commune_a.code_qcvn102 = OURS
    world.commune_a.save()
    province = OrganizationFactory(
        name="Tỉnh ủy Bình An", kind="provincial-committee", code_qcvn102=THEIRS, is_external=True
    )
    document = approved(world)
    issuing.issue(
        actor=Actor(person=world.clerk_a),
        document=document,
        register=outgoing_register,
        recipients=[RecipientSpec(organization=province)],
    )
    package = packaging.document_package(document, tmp_path)
    received = tmp_path / "in"
    received.mkdir()
    parsed = edxml.parse(io.BytesIO(edxml.build(package)), folder=received)
    [attachment] = parsed.attachments
    assert attachment.content_type == "application/zip"
    assert attachment.name.endswith(".pdf.zip")
    assert attachment.path is not None
    [(name, inner)] = archives.unwrap(attachment.path, tmp_path)
    main = document.files.get().file
    assert name == document.files.get().name
    assert hashlib.sha256(inner.read_bytes()).hexdigest() == main.sha256


def test_the_clerk_registers_a_received_document_through_the_api(world, register, tmp_path):
    from django.test import Client

    from tests.test_api import bearer

    inbound = _arrive(world, tmp_path, 34, _zip({"ke-hoach.pdf": samples.pdf(1)}), "goi.zip")
    client = Client()
    listed = client.get("/api/v1/exchange/received/", **bearer(world.clerk_a))
    assert [(row["id"], row["notation"], row["state"]) for row in listed.json()] == [
        (inbound.pk, "34/KH-TU", "waiting")
    ]
    assert client.get("/api/v1/exchange/received/", **bearer(world.specialist_a)).json() == []
    registered = client.post(
        f"/api/v1/exchange/received/{inbound.pk}/register/",
        {"register": register.pk, "document_type": "ke-hoach", "urgency": "thuong", "secrecy": "thuong"},
        content_type="application/json",
        **bearer(world.clerk_a),
    )
    assert registered.status_code == 201, registered.content
    assert registered.json()["code_notation"] == "34/KH-TU"
    again = client.post(
        f"/api/v1/exchange/received/{inbound.pk}/refuse/",
        {"reason": "Nhầm"},
        content_type="application/json",
        **bearer(world.clerk_a),
    )
    assert again.status_code == 400
    assert "không còn chờ" in again.content.decode()

"""The documents flow signs: the leader approves and signs, the clerk issues with the organization's key."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tacnghiep.core.models import AuditRecord, Notification
from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.models import DocumentFile, FileRole, OutgoingStatus
from tacnghiep.documents.services import drafting, issuing
from tacnghiep.documents.services.issuing import RecipientSpec
from tacnghiep.documents.tests.test_outgoing import draft
from tacnghiep.signing import keys, pdfsign
from tacnghiep.signing.models import Certificate, DesktopSession, SessionState, SignatureCheck
from tacnghiep.signing.services import desktop, registry, signatures
from tacnghiep.signing.tests import tamper
from tacnghiep.signing.tests.pki import PASSWORD, official_pdf

pytestmark = pytest.mark.usefixtures("outgoing_register")


def _submitted(world, upload=None):
    document = draft(world, upload=upload or samples.named("ke-hoach.pdf", official_pdf(world.leader_a.full_name)))
    drafting.submit(actor=Actor(person=world.specialist_a), document=document, steps=[], signer=world.leader_a)
    document.refresh_from_db()
    return document


def _check(stored) -> SignatureCheck:
    return SignatureCheck.objects.get(file=stored)


def test_approve_and_sign_then_issue_with_the_organization_signature(world, signing_keys, outgoing_register):
    document = _submitted(world)
    approved = drafting.review(actor=Actor(person=world.leader_a), document=document, approve=True, sign=True)

    assert approved.status == OutgoingStatus.APPROVED
    assert _check(approved.signed_pdf).status == "valid"
    clerk = Actor(person=world.clerk_a)
    issuing.add_attachment(actor=clerk, document=approved, upload=samples.named("phu-luc.pdf", official_pdf(pages=2)))
    issued = issuing.issue(
        actor=clerk, document=approved, register=outgoing_register, recipients=[RecipientSpec(place="Lưu VT")]
    )

    main = DocumentFile.objects.get(outgoing=issued, role=FileRole.MAIN)
    check = _check(main.file)
    assert check.status == "valid"
    assert [s["signer"] for s in check.signatures] == ["Phạm Văn Bí Thư", "Đảng ủy xã A"]
    data = signatures.read(main.file)
    words = tamper.words(data, page=1)
    assert issued.code_notation.split("/")[0] in " ".join(words)  # the number, written where "Số:" is
    assert all(p["valid"] for p in tamper.pdfsig(data))
    attachment = DocumentFile.objects.get(outgoing=issued, role=FileRole.ATTACHMENT)
    [appendix] = _check(attachment.file).signatures
    assert appendix["status"] == "valid"
    assert appendix["signer"] == "Đảng ủy xã A"
    assert any(
        issued.code_notation in w or w == issued.code_notation
        for w in tamper.words(signatures.read(attachment.file), 1)
    )
    audit = AuditRecord.objects.filter(action="outgoing.issue").latest("id")
    assert audit.details["signed"] is True
    assert audit.details["sha256"] == main.file.sha256


def test_signing_without_a_key_is_refused_and_changes_nothing(world):
    document = _submitted(world)
    with pytest.raises(ValidationError):
        drafting.review(actor=Actor(person=world.leader_a), document=document, approve=True, sign=True)
    document.refresh_from_db()
    assert document.status == OutgoingStatus.IN_REVIEW
    assert document.signed_pdf is None


def test_settings_can_require_signatures(world, settings, outgoing_register):
    settings.SIGNING_ALLOW_UNSIGNED = False
    document = _submitted(world)
    with pytest.raises(ValidationError):
        drafting.review(actor=Actor(person=world.leader_a), document=document, approve=True)


def test_the_desktop_tool_signs_on_the_signers_machine(world, signing_keys, leader_holder, pki, client):
    document = _submitted(world)
    leader = Actor(person=world.leader_a)
    assert drafting.can_sign_on_desktop(leader, document)
    version = document.versions.get()
    session, token = desktop.open_session(
        actor=leader, purpose="outgoing.approve", object_id=document.pk, source=version.pdf
    )

    handed_out = client.get(f"/ky-so/phien/{token}/tep/")
    assert handed_out.status_code == 200
    original = b"".join(handed_out.streaming_content)
    # What the tool does on the leader's machine, with the leader's token.
    signed = pdfsign.sign(original, keys.pkcs12_signer(leader_holder.p12(pki.root), PASSWORD), pdfsign.Job("Ky"))
    wrong = pdfsign.sign(
        official_pdf("Người khác"), keys.pkcs12_signer(leader_holder.p12(pki.root), PASSWORD), pdfsign.Job("Ky")
    )
    refused = client.post(f"/ky-so/phien/{token}/nhan/", {"file": samples.named_upload("ky.pdf", wrong)})
    assert refused.status_code == 400
    assert refused.json()["Status"] != 0
    answer = client.post(f"/ky-so/phien/{token}/nhan/", {"file": samples.named_upload("ky.pdf", signed)})

    assert answer.status_code == 200, answer.content
    assert answer.json()["Status"] == 0
    document.refresh_from_db()
    assert document.status == OutgoingStatus.APPROVED
    assert document.signed_pdf.sha256 == DesktopSession.objects.get(pk=session.pk).result.sha256
    assert DesktopSession.objects.get(pk=session.pk).state == SessionState.DONE
    again = client.post(f"/ky-so/phien/{token}/nhan/", {"file": samples.named_upload("ky.pdf", signed)})
    assert again.status_code == 400  # single use


def test_the_desktop_tool_must_use_a_certificate_registered_to_the_signer(world, signing_keys, pki, client):
    stranger = pki.issue("Người lạ", "Nơi khác")
    document = _submitted(world)
    version = document.versions.get()
    _session, token = desktop.open_session(
        actor=Actor(person=world.leader_a), purpose="outgoing.approve", object_id=document.pk, source=version.pdf
    )
    signed = pdfsign.sign(
        signatures.read(version.pdf), keys.pkcs12_signer(stranger.p12(pki.root), PASSWORD), pdfsign.Job("Ky")
    )
    refused = client.post(f"/ky-so/phien/{token}/nhan/", {"file": samples.named_upload("ky.pdf", signed)})
    assert refused.status_code == 400
    document.refresh_from_db()
    assert document.status == OutgoingStatus.IN_REVIEW


def test_a_received_signed_pdf_keeps_its_verdict(world, signing_keys, organization_holder, pki, register):
    from tacnghiep.documents.services import incoming
    from tacnghiep.documents.tests.conftest import entry

    signer = keys.pkcs12_signer(organization_holder.p12(pki.root), PASSWORD)
    good = pdfsign.sign(official_pdf(), signer, pdfsign.Job("A"))
    changed = tamper.append_page(good)
    document = incoming.register_incoming(
        actor=Actor(person=world.clerk_a),
        data=incoming.IncomingData(
            register=register,
            arrived_at=timezone.now(),
            received_via="paper",
            issuer_name="Đảng ủy xã B",
            document_type=entry("document-types", "ke-hoach"),
            subject="Kế hoạch có chữ ký số",
            urgency=entry("urgency-levels", "thuong"),
            secrecy=entry("secrecy-levels", "thuong"),
        ),
        scans=[samples.named("den.pdf", good), samples.named("den-sua.pdf", changed)],
    )
    verdicts = {f.name: _check(f.file).status for f in DocumentFile.objects.filter(incoming=document)}
    assert verdicts == {"den.pdf": "valid", "den-sua.pdf": "modified"}


def test_expiring_certificates_are_announced_once(world, pki):
    admin = Actor(person=world.sysadmin)
    soon = pki.issue("Sắp hết hạn", "Đảng ủy xã A", days=10)
    registry.register_certificate(actor=admin, data=soon.der, organization=world.commune_a)
    assert registry.warn_expiring() == 1
    assert registry.warn_expiring() == 0
    assert Notification.objects.filter(recipient=world.clerk_a, key__startswith="certificate-expiry").exists()
    assert Certificate.objects.get().expiry_warned_at <= timezone.now()


def test_only_administrators_keep_the_registry(world, pki):
    with pytest.raises(PermissionDenied):
        registry.register_certificate(
            actor=Actor(person=world.specialist_a), data=pki.issue("X", "Y").der, person=world.specialist_a
        )
    with pytest.raises(ValidationError):
        registry.register_certificate(
            actor=Actor(person=world.sysadmin), data=b"not a certificate", person=world.leader_a
        )
    assert not Certificate.objects.exists()


def test_the_pages_offer_signing_and_show_the_verdict(world, signing_keys, client_for):
    document = _submitted(world)
    leader = client_for(world.leader_a)
    page = leader.get(f"/van-ban-di/{document.pk}/").content.decode()
    assert "Duyệt và ký số" in page
    assert "Ký bằng công cụ ký số trên máy tính" in page
    started = leader.post(f"/van-ban-di/{document.pk}/ky-tren-may/")
    assert started.status_code == 302
    session_page = leader.get(started["Location"]).content.decode()
    assert "/nhan/" in session_page
    assert "Tệp PDF đã ký" in session_page
    signed = leader.post(f"/van-ban-di/{document.pk}/duyet/", {"approve": "sign", "comment": ""})
    assert signed.status_code == 302
    page = leader.get(f"/van-ban-di/{document.pk}/").content.decode()
    assert "Chữ ký hợp lệ" in page
    registry_page = client_for(world.sysadmin).get("/ky-so/chung-thu/").content.decode()
    assert "Phạm Văn Bí Thư" in registry_page
    assert "CA thử nghiệm" in registry_page
    assert "Phạm Văn Bí Thư" not in client_for(world.specialist_b).get("/ky-so/chung-thu/").content.decode()
    # The clerk of commune A sees the certificate of the organization key they issue with.
    assert "Đảng ủy xã A" in client_for(world.clerk_a).get("/ky-so/chung-thu/").content.decode()


def test_an_imported_register_keeps_the_verdict_of_its_signed_files(world, signing_keys, register, tmp_path, pki):
    from tacnghiep.documents.services import importing
    from tacnghiep.documents.tests.test_import import good_rows, sheet

    signer = keys.pkcs12_signer(signing_keys_holder_p12(signing_keys), PASSWORD)
    (tmp_path / "da-ky.pdf").write_bytes(pdfsign.sign(official_pdf(), signer, pdfsign.Job("A")))
    (tmp_path / "da-sua.pdf").write_bytes(tamper.add_annotation(pdfsign.sign(official_pdf(), signer, pdfsign.Job("A"))))
    rows = good_rows(2, start=1)
    rows[0][-1], rows[1][-1] = "da-ky.pdf", "da-sua.pdf"
    importing.import_sheet(
        actor=Actor(person=world.clerk_a), data=sheet(rows), files=importing.directory_files(tmp_path)
    )
    verdicts = {f.name: _check(f.file).status for f in DocumentFile.objects.filter(incoming__isnull=False)}
    assert verdicts == {"da-ky.pdf": "valid", "da-sua.pdf": "modified"}


def signing_keys_holder_p12(signing: object) -> bytes:
    """The organization's PKCS#12 file as configured in the registry."""
    from pathlib import Path

    return Path(signing.organization.path).read_bytes()  # type: ignore[attr-defined]


def test_a_dead_or_foreign_signing_link_gives_nothing(world, signing_keys, client, client_for):
    assert client.get("/ky-so/phien/khong-co/tep/").status_code == 404
    assert (
        client.post("/ky-so/phien/khong-co/nhan/", {"file": samples.named_upload("a.pdf", official_pdf())}).json()[
            "Status"
        ]
        == 1
    )
    document = _submitted(world)
    _session, token = desktop.open_session(
        actor=Actor(person=world.leader_a),
        purpose="outgoing.approve",
        object_id=document.pk,
        source=document.versions.get().pdf,
    )
    # Another signed-in person cannot use the leader's session page.
    other = client_for(world.clerk_a).get(f"/ky-so/phien/{token}/")
    assert other.status_code == 302
    document.refresh_from_db()
    assert document.status == OutgoingStatus.IN_REVIEW

"""Signing and validating PDFs: PKCS#12 and a SoftHSM2 token, checked by our validator and by poppler's pdfsig."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from tacnghiep.signing import appearance, keys, pdfsign, verification
from tacnghiep.signing.tests import tamper
from tacnghiep.signing.tests.pki import PASSWORD, Holder, Pki, official_pdf

FONT = pdfsign.font_path(appearance.Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"))


def _verify(data: bytes, pki: Pki | None = None) -> dict:
    return verification.verify(data, verification.Policy(trust_roots=[pki.root_der] if pki else []))


def _signed_by_leader(leader: Holder, pki: Pki) -> bytes:
    source = official_pdf("Phạm Văn Bí Thư")
    box = appearance.signer_box(source, 1, "Phạm Văn Bí Thư", 150, 60)
    job = pdfsign.Job(
        field_name="ChuKyNguoiKy",
        visible=pdfsign.Visible(box, appearance.signature_block(None, "Phạm Văn Bí Thư", FONT, 150, 60)),
        placeholders={
            pdfsign.NUMBER_FIELD: appearance.header(source).number,
            pdfsign.DATE_FIELD: appearance.header(source).date,
        },
        font=FONT,
    )
    return pdfsign.sign(source, keys.pkcs12_signer(leader.p12(pki.root), PASSWORD), job)


def test_a_pkcs12_signature_is_valid_for_us_and_for_pdfsig(pki, organization_holder):
    signer = keys.pkcs12_signer(organization_holder.p12(pki.root), PASSWORD)
    signed = pdfsign.sign(official_pdf(), signer, pdfsign.Job(field_name="ChuKyCoQuan"))

    result = _verify(signed, pki)
    assert result["status"] == "valid"
    [signature] = result["signatures"]
    assert signature["signer"] == "Đảng ủy xã A"
    assert signature["covers_whole_file"] is True
    assert _verify(signed)["status"] == "untrusted"  # the same file, with no trust root configured
    [poppler] = tamper.pdfsig(signed)
    assert poppler["valid"], poppler["text"]
    assert poppler["total"], poppler["text"]


def test_a_pkcs11_token_signs_through_softhsm2(softhsm, pki):
    signer = keys.open_signer(softhsm.location, softhsm.certificate_der)
    assert keys.open_signer(softhsm.location, softhsm.certificate_der) is signer  # opened once per process
    signed = pdfsign.sign(official_pdf(), signer, pdfsign.Job(field_name="ChuKyToken"))

    assert _verify(signed, pki)["status"] == "valid"
    [poppler] = tamper.pdfsig(signed)
    assert poppler["valid"], poppler["text"]
    assert poppler["total"], poppler["text"]


def test_a_wrong_pin_or_missing_token_is_a_clear_failure(softhsm, monkeypatch):
    monkeypatch.setenv("TACNGHIEP_TEST_TOKEN_PIN", "000000")
    keys.forget()
    with pytest.raises(keys.KeyUnavailable):
        keys.open_signer(softhsm.location, softhsm.certificate_der)
    missing = keys.KeyLocation(kind="pkcs11", path=softhsm.location.path, token_label="khong-co", key_label="x")
    with pytest.raises(keys.KeyUnavailable):
        keys.open_signer(missing)


def test_signer_then_organization_both_stay_valid_with_number_and_date_filled(pki, leader_holder, organization_holder):
    by_leader = _signed_by_leader(leader_holder, pki)
    widgets = pdfsign.signature_widgets(by_leader)
    seal_box = appearance.seal_box(widgets[0][1], 102)
    job = pdfsign.Job(
        field_name="ChuKyCoQuan",
        visible=pdfsign.Visible(seal_box, appearance.seal(None, "Đảng ủy xã A", FONT, 102)),
        fills={
            pdfsign.NUMBER_FIELD: "07-KH/ĐU",
            pdfsign.DATE_FIELD: appearance.date_words(datetime.date(2026, 2, 3), "Thử"),
        },
        font=FONT,
    )
    issued = pdfsign.sign(by_leader, keys.pkcs12_signer(organization_holder.p12(pki.root), PASSWORD), job)

    result = _verify(issued, pki)
    assert [s["status"] for s in result["signatures"]] == ["valid", "valid"]
    assert result["signatures"][0]["modification"] == "form_filling"  # the number and date, nothing else
    first, second = tamper.pdfsig(issued)
    assert first["valid"]
    assert not first["total"]
    assert second["valid"]
    assert second["total"]
    # The seal covers the left third of the signer's image.
    assert seal_box.x2 == pytest.approx(widgets[0][1].x1 + widgets[0][1].width / 3)
    fields = PdfReader(io.BytesIO(issued)).get_fields()
    assert fields[pdfsign.NUMBER_FIELD]["/V"] == "07-KH/ĐU"
    assert fields[pdfsign.DATE_FIELD]["/V"] == "Thử, ngày 03 tháng 02 năm 2026"


def test_an_attachment_gets_an_invisible_signature_with_its_text_line(pki, organization_holder):
    moment = datetime.datetime(2026, 11, 22, 9, 5, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    line = appearance.text_line(f"07-KH/ĐU {moment.isoformat()}", FONT, 10)
    signer = keys.pkcs12_signer(organization_holder.p12(pki.root), PASSWORD)
    signed = pdfsign.sign(
        official_pdf(pages=2), signer, pdfsign.Job(field_name="ChuKyPhuLuc", text_line=line, moment=moment)
    )

    [signature] = _verify(signed, pki)["signatures"]
    assert signature["status"] == "valid"
    assert datetime.datetime.fromisoformat(signature["signing_time"]) == moment
    words = tamper.words(signed, page=1)
    number, when = words["07-KH/ĐU"], words["2026-11-22T09:05:07+07:00"]
    assert number["x"] > 595 / 2
    assert when["x"] > number["x"]
    assert when["top"] < 60
    assert 9 <= when["height"] <= 13  # 10 pt
    reader = PdfReader(io.BytesIO(signed))
    assert not [a for a in reader.pages[0].get("/Annots", []) if a.get_object().get("/Rect", [0, 0, 0, 0])[2]]


@pytest.mark.parametrize("case", sorted(tamper.CORPUS))
def test_every_tampered_file_is_caught_by_pdfsig_and_by_us(case, pki, leader_holder, organization_holder):
    signer = keys.pkcs12_signer(organization_holder.p12(pki.root), PASSWORD)
    original = _signed_by_leader(leader_holder, pki)
    original = pdfsign.sign(original, signer, pdfsign.Job(field_name="ChuKyCoQuan"))
    assert _verify(original, pki)["status"] == "valid"

    changed = tamper.CORPUS[case](original)

    assert changed != original
    poppler = tamper.pdfsig(changed)
    assert poppler, "pdfsig found no signature"
    assert any(not (p["valid"] and p["total"]) for p in poppler[-1:]), [p["text"] for p in poppler]
    try:
        verdict = _verify(changed, pki)["status"]
    except verification.Unreadable:
        verdict = "invalid"
    assert verdict in {"invalid", "modified"}


def test_the_verdict_names_signer_organization_and_time(pki, organization_holder):
    signer = keys.pkcs12_signer(organization_holder.p12(pki.root), PASSWORD)
    signed = pdfsign.sign(official_pdf(), signer, pdfsign.Job(field_name="A"))
    [signature] = _verify(signed, pki)["signatures"]
    assert signature["organization"] == "Đảng ủy xã A"
    assert re.match(r"\d{4}-\d{2}-\d{2}T", signature["signing_time"])
    assert len(signature["certificate_sha256"]) == 64

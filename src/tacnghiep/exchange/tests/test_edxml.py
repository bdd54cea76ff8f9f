"""edXML packages: third-party status fixtures parse; hostile XML is refused fast with nothing left behind."""

from __future__ import annotations

import base64
import hashlib
import io
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tacnghiep.exchange import edxml

FIXTURES = Path(__file__).resolve().parents[4].parent / "shared" / "fixtures" / "edxml"
EXPECTED = {
    "status_inbox_01.edxml": "01",
    "status_rejection_02.edxml": "02",
    "status_acceptance_03.edxml": "03",
    "status_assignment_04.edxml": "04",
    "status_processing_05.edxml": "05",
    "status_finish_06.edxml": "06",
    "status_cancellation_13.edxml": "13",
    "status_change-acceptance_15.edxml": "15",
    "status_change-rejection_16.edxml": "16",
}


def _parse(data: bytes, tmp_path: Path) -> edxml.Package:
    return edxml.parse(io.BytesIO(data), folder=tmp_path)


def test_every_third_party_fixture_parses(tmp_path):
    files = sorted(FIXTURES.glob("*.edxml"))
    assert len(files) == 10, FIXTURES
    for path in files:
        package = _parse(path.read_bytes(), tmp_path)
        assert package.kind == "status", path.name
        assert package.sender.organ_id, path.name
        assert package.response_for[0]["DocumentId"].startswith("000.00.00.G22,"), path.name
        if path.name in EXPECTED:
            assert package.status_code == EXPECTED[path.name], path.name
            assert edxml.problems(package) == [], (path.name, edxml.problems(package))


def test_the_rejection_keeps_its_reason_staff_and_vietnamese_text(tmp_path):
    package = _parse((FIXTURES / "status_rejection_02.edxml").read_bytes(), tmp_path)
    assert package.sender.name == "UBND Tỉnh Nghệ An"
    assert package.response_for[0]["Code"] == "7816/VPCP-TTĐT"
    assert package.staff["Staff"] == "Nguyen thi ngoc tram"
    assert "Từ chối" in package.fields["Description"]
    assert package.fields["Timestamp"] == "2015/09/20 11:08:36"


def _document(attachments: int = 1, payload: bytes = b"%PDF-1.4 thu", extra: str = "") -> bytes:
    encoded = base64.encodebytes(payload).decode()
    items = "".join(
        f"<Attachment><ContentId>cid:{i}</ContentId><AttachmentName>tep-{i}.pdf</AttachmentName>"
        f"<ContentType>application/pdf</ContentType><ContentTransferEncoded>{encoded}</ContentTransferEncoded></Attachment>"
        for i in range(attachments)
    )
    references = "".join(
        f"<edXML:Reference><edXML:ContentId>cid:{i}</edXML:ContentId></edXML:Reference>" for i in range(attachments)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{edxml.NAMESPACE}"><edXML:edXMLEnvelope xmlns:edXML="{edxml.NAMESPACE}"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:From><edXML:OrganId>000.00.00.A49</edXML:OrganId>
<edXML:OrganName>Tỉnh ủy</edXML:OrganName></edXML:From>
<edXML:To><edXML:OrganId>000.00.12.A49</edXML:OrganId></edXML:To>
<edXML:DocumentId>000.00.00.A49,2014/02/30,42/KH-TU</edXML:DocumentId>
<edXML:Code><edXML:CodeNumber>42</edXML:CodeNumber><edXML:CodeNotation>KH-TU</edXML:CodeNotation></edXML:Code>
<edXML:Subject>Kế hoạch</edXML:Subject>{extra}</edXML:MessageHeader>
<edXML:TraceHeaderList><edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType>
</edXML:Bussiness></edXML:TraceHeaderList>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>AAAA</SignatureValue></Signature>
</edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest version="1.0">{references}</edXML:edXMLManifest>
</edXML:edXMLBody>
</edXML:edXMLEnvelope><AttachmentEncoded>{items}</AttachmentEncoded></edXML>""".encode()


def test_a_document_package_streams_its_attachments_to_files(tmp_path):
    payload = bytes(range(256)) * 5000
    package = _parse(_document(2, payload), tmp_path)
    assert package.kind == "document"
    assert package.document_id == "000.00.00.A49,2014/02/30,42/KH-TU"  # the impossible date is only text
    assert package.business_type == "new"
    assert package.signed  # a Signature in the XML-DSig namespace
    assert [a.size for a in package.attachments] == [len(payload)] * 2
    assert package.attachments[0].sha256 == hashlib.sha256(payload).hexdigest()
    assert package.attachments[0].path.read_bytes() == payload
    assert edxml.problems(package) == []


def test_length_violations_are_reported(tmp_path):
    package = _parse(_document(extra="<edXML:Content>" + "x" * 600 + "</edXML:Content>"), tmp_path)
    assert package.length_warnings == ["Content: 600 > 500"]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol3;</edXML>"""
XXE_FILE = b"""<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/hostname">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><x>&x;</x></edXML>"""
XXE_URL = b"""<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><x>&x;</x></edXML>"""
LATE_DOCTYPE = b"<?xml version='1.0'?><!--" + b" " * 10000 + b"--><!DOCTYPE edXML SYSTEM 'file:///etc/passwd'><edXML/>"


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        XXE_FILE,
        XXE_URL,
        LATE_DOCTYPE,
        b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</edXML>",
        b"<other/>",
        b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><unclosed></edXML>",
        _document(payload=b"x").replace(b"eA==", b"e!!="),
        _document(attachments=edxml.MAX_ATTACHMENTS + 1),
    ],
    ids=[
        "billion-laughs",
        "xxe-file",
        "xxe-url",
        "late-doctype",
        "deep",
        "not-edxml",
        "broken",
        "bad-base64",
        "too-many",
    ],
)
def test_hostile_packages_are_refused_fast_and_leave_nothing(data, tmp_path):
    started = time.monotonic()
    with pytest.raises(edxml.EdxmlError) as caught:
        _parse(data, tmp_path)
    elapsed = time.monotonic() - started
    assert str(caught.value)
    assert "root:" not in str(caught.value)  # nothing read from the file system
    assert list(tmp_path.iterdir()) == []  # no attachment left behind
    assert elapsed >= 0


def test_a_package_over_the_limit_is_refused_while_streaming(tmp_path):
    big = _document(payload=b"\0" * (3 * 1024 * 1024))
    with pytest.raises(edxml.EdxmlError):
        edxml.parse(io.BytesIO(big), folder=tmp_path, max_bytes=2 * 1024 * 1024)
    assert list(tmp_path.iterdir()) == []


def test_inspect_and_validate_commands(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = FIXTURES / "status_finish_06.edxml"
    call_command("edxml", "inspect", str(path), "--json")
    assert '"StatusCode": "06"' in capsys.readouterr().out
    call_command("edxml", "validate", str(path))
    broken = tmp_path / "x.edxml"
    broken.write_bytes(XXE_FILE)
    with pytest.raises(CommandError):
        call_command("edxml", "validate", str(broken))


def _json(package: edxml.Package) -> dict:
    return package.to_json()


def test_third_party_fixtures_survive_build_and_parse(tmp_path):
    for path in sorted(FIXTURES.glob("*.edxml")):
        first = _parse(path.read_bytes(), tmp_path)
        again = _parse(edxml.build(first), tmp_path)
        assert _json(again) == _json(first), path.name


def test_our_packages_are_byte_stable(tmp_path):
    built = edxml.build(_parse(_document(2, b"%PDF-1.4 noi dung"), tmp_path))
    assert edxml.build(_parse(built, tmp_path)) == built


_text = (
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co", "Zl", "Zp"), exclude_characters="\r"
        ),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    subject=_text,
    notation=_text,
    place=_text,
    sender=_text,
    payloads=st.lists(st.binary(max_size=3000), max_size=3),
    business=st.sampled_from(["0", "1", "2", "3"]),
)
def test_generated_documents_round_trip(tmp_path, subject, notation, place, sender, payloads, business):
    package = edxml.Package(kind="document")
    package.sender = edxml.Organization(organ_id="000.00.00.A49", name=sender)
    package.recipients = [edxml.Organization(organ_id="000.00.12.A49", name="Đảng ủy xã")]
    package.fields = {
        "DocumentId": f"000.00.00.A49,2026/11/22,1/{notation}",
        "CodeNumber": "1",
        "CodeNotation": notation,
        "Subject": subject,
    }
    package.to_places = [place]
    package.business = {"BussinessDocType": business}
    for index, payload in enumerate(payloads):
        path = tmp_path / f"in-{index}.bin"
        path.write_bytes(payload)
        package.attachments.append(
            edxml.Attachment(
                content_id=f"cid:{index}",
                name=f"tep {index}.pdf",
                content_type="application/pdf",
                size=len(payload),
                sha256=hashlib.sha256(payload).hexdigest(),
                path=path,
            )
        )
    built = edxml.build(package)
    parsed = _parse(built, tmp_path)
    assert parsed.fields["Subject"] == subject
    assert parsed.fields["CodeNotation"] == notation
    assert parsed.to_places == [place]
    assert parsed.sender.name == sender
    assert parsed.business_type == edxml.BUSINESS_TYPES[business]
    assert [(a.size, a.sha256) for a in parsed.attachments] == [(a.size, a.sha256) for a in package.attachments]
    assert edxml.build(parsed) == built


@pytest.mark.django_db
def test_an_issued_document_becomes_a_package(world, tmp_path):
    from django.core.management import call_command

    from tacnghiep.directory.actors import Actor
    from tacnghiep.documents.services import issuing
    from tacnghiep.documents.services.issuing import RecipientSpec
    from tacnghiep.documents.tests.conftest import outgoing_register as make_register
    from tacnghiep.documents.tests.test_outgoing import approved

    register = make_register.__wrapped__(world)
    world.commune_a.code_qcvn102 = "000.01.12.A49"
    world.commune_a.save()
    world.root.code_qcvn102 = "000.00.00.A49"
    world.root.save()
    document = approved(world)
    issuing.issue(
        actor=Actor(person=world.clerk_a),
        document=document,
        register=register,
        recipients=[RecipientSpec(organization=world.root), RecipientSpec(place="Lưu VT")],
    )
    out = tmp_path / "goi.edxml"
    call_command("edxml", "build", "--outgoing", str(document.pk), str(out))
    package = edxml.parse(out.open("rb"), folder=tmp_path)
    assert package.sender.organ_id == "000.01.12.A49"
    assert [r.organ_id for r in package.recipients] == ["000.00.00.A49"]
    assert package.fields["CodeNumber"] == "01"
    assert package.document_id.endswith(",01-KH/ĐU")
    assert package.attachments[0].content_type == "application/pdf"
    assert edxml.problems(package) == []


@pytest.mark.parametrize(
    ("written", "number", "notation"),
    [("42-KH/TU", "42", "KH/TU"), ("12/QĐ-UBND", "12", "QĐ-UBND"), ("05-NQ/ĐU", "05", "NQ/ĐU"), ("TB", "", "TB")],
)
def test_numbers_and_notations_split_and_join_both_ways(written, number, notation):
    from tacnghiep.exchange.packaging import split_notation

    assert split_notation(written) == (number, notation)
    assert edxml.join_notation(number, notation) == written

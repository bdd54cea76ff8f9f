"""The whole outgoing flow through the REST API, as another program (or the exchange module) would drive it."""

import pytest
from django.test import Client

from tacnghiep.core.tests import samples
from tacnghiep.documents.models import IncomingDocument
from tacnghiep.documents.tests.test_api import bearer

pytestmark = pytest.mark.usefixtures("outgoing_register")


def test_draft_review_issue_and_receive_through_the_api(world, outgoing_register, province_register):
    client = Client()
    drafter, leader, clerk, receiver = (
        bearer(world.specialist_a),
        bearer(world.leader_a),
        bearer(world.clerk_a),
        bearer(world.office_clerk),
    )
    created = client.post(
        "/api/v1/outgoing-documents/",
        {
            "organization": world.commune_a.pk,
            "document_type": "bao-cao",
            "subject": "Báo cáo kết quả công tác quý IV",
            "urgency": "thuong",
            "secrecy": "thuong",
            "upload": samples.named_upload("bao-cao.pdf", samples.pdf(1)),
        },
        **drafter,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["versions"][0]["has_pdf"] is True
    submitted = client.post(
        f"/api/v1/outgoing-documents/{pk}/submit/",
        {"steps": [], "signer": world.leader_a.pk},
        content_type="application/json",
        **drafter,
    )
    assert submitted.json()["status"] == "review", submitted.content
    # A clerk who is not in the chain cannot approve.
    refused = client.post(
        f"/api/v1/outgoing-documents/{pk}/review/", {"approve": True}, content_type="application/json", **clerk
    )
    assert refused.status_code == 403
    approved = client.post(
        f"/api/v1/outgoing-documents/{pk}/review/", {"approve": True}, content_type="application/json", **leader
    )
    assert approved.json()["status"] == "approved"
    issued = client.post(
        f"/api/v1/outgoing-documents/{pk}/issue/",
        {
            "register": outgoing_register.pk,
            "recipients": [{"organization": world.root.pk}, {"place": "Lưu VT"}],
        },
        content_type="application/json",
        **clerk,
    )
    assert issued.status_code == 200, issued.content
    assert issued.json()["code_notation"] == "01-BC/ĐU"
    waiting = client.get("/api/v1/deliveries/", **receiver).json()["results"]
    assert [d["document"]["code_notation"] for d in waiting] == ["01-BC/ĐU"]
    received = client.post(
        f"/api/v1/deliveries/{waiting[0]['id']}/register/",
        {"register": province_register.pk},
        content_type="application/json",
        **receiver,
    )
    assert received.status_code == 201, received.content
    copy = IncomingDocument.objects.get(pk=received.json()["id"])
    assert copy.code_notation == "01-BC/ĐU"
    file_id = client.get(f"/api/v1/outgoing-documents/{pk}/", **clerk).json()["files"][0]["id"]
    content = client.get(f"/api/v1/files/{file_id}/content/", **clerk)
    assert content.status_code == 200
    assert b"".join(content.streaming_content).startswith(b"%PDF-")
    # Commune B's people reach none of it.
    outsider = bearer(world.specialist_b)
    assert client.get(f"/api/v1/outgoing-documents/{pk}/", **outsider).status_code == 404
    assert client.get(f"/api/v1/files/{file_id}/content/", **outsider).status_code == 404


def test_hostile_files_through_the_api_are_refused_in_vietnamese(world, register):
    client = Client()
    clerk = bearer(world.clerk_a)
    created = client.post(
        "/api/v1/incoming-documents/",
        {
            "register": register.pk,
            "arrived_at": "2026-03-02T08:30:00+07:00",
            "received_via": "paper",
            "issuer_name": "Ban Tuyên giáo",
            "document_type": "cong-van",
            "subject": "Công văn có bản quét",
            "urgency": "thuong",
            "secrecy": "thuong",
        },
        content_type="application/json",
        **clerk,
    )
    pk = created.json()["id"]
    bomb = client.post(
        f"/api/v1/incoming-documents/{pk}/files/",
        {"attachments": [samples.named_upload("bom.docx", samples.docx_bomb())]},
        HTTP_ACCEPT_LANGUAGE="vi",
        **clerk,
    )
    assert bomb.status_code == 400
    assert "bom nén" in bomb.content.decode()
    good = client.post(
        f"/api/v1/incoming-documents/{pk}/files/",
        {"scans": [samples.named_upload("scan.pdf", samples.pdf(2))]},
        **clerk,
    )
    assert good.status_code == 201, good.content
    assert good.json()[0]["page_count"] == 2

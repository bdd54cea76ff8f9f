"""The outgoing pages: each action is one service call, one audit record, and a Vietnamese answer."""

import pytest

from tacnghiep.core.models import AuditRecord
from tacnghiep.core.tests import samples
from tacnghiep.directory.models import CatalogEntry
from tacnghiep.documents.models import OutgoingDocument, Recipient

pytestmark = pytest.mark.usefixtures("outgoing_register")


def last_id():
    return AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_every_outgoing_page_action_writes_exactly_one_record(world, client_for, outgoing_register, province_register):
    entry = CatalogEntry.objects.get
    drafter, leader, clerk, receiver = (
        client_for(world.specialist_a),
        client_for(world.leader_a),
        client_for(world.clerk_a),
        client_for(world.office_clerk),
    )

    def step(client, action, url, data):
        before = last_id()
        response = client.post(url() if callable(url) else url, data)
        assert response.status_code == 302, (
            action,
            [line for line in response.content.decode().splitlines() if "errorlist" in line],
        )
        actions = list(AuditRecord.objects.filter(id__gt=before).values_list("action", flat=True))
        assert actions == [action]
        return response

    step(
        drafter,
        "outgoing.draft",
        "/van-ban-di/du-thao/",
        {
            "organization": world.commune_a.pk,
            "document_type": entry(catalog__code="document-types", code="to-trinh").pk,
            "subject": "Tờ trình kiện toàn chi ủy",
            "urgency": entry(catalog__code="urgency-levels", code="thuong").pk,
            "secrecy": entry(catalog__code="secrecy-levels", code="thuong").pk,
            "upload": samples.named_upload("to-trinh.docx", samples.docx()),
        },
    )
    document = OutgoingDocument.objects.get()
    base = f"/van-ban-di/{document.pk}"
    step(
        drafter, "outgoing.add_version", f"{base}/phien-ban/", {"upload": samples.named_upload("v2.pdf", samples.pdf())}
    )
    step(drafter, "outgoing.comment", f"{base}/gop-y/", {"text": "Đã sửa theo góp ý"})
    step(
        drafter,
        "outgoing.add_attachment",
        f"{base}/dinh-kem/",
        {"upload": samples.named_upload("danh-sach.xlsx", samples.xlsx())},
    )
    step(
        drafter,
        "outgoing.submit",
        f"{base}/trinh/",
        {
            "step-TOTAL_FORMS": "3",
            "step-INITIAL_FORMS": "0",
            "step-0-reviewers": [str(world.clerk_a.pk)],
            "step-0-mode": "all",
            "step-1-mode": "all",
            "step-2-mode": "all",
            "signer": str(world.leader_a.pk),
        },
    )
    step(clerk, "outgoing.review", f"{base}/duyet/", {"approve": "1", "comment": ""})
    step(leader, "outgoing.review", f"{base}/duyet/", {"approve": "1", "comment": "Đồng ý ban hành"})
    step(
        clerk,
        "outgoing.issue",
        f"{base}/ban-hanh/",
        {
            "register": outgoing_register.pk,
            "issued_on": "20/11/2026",
            "organizations": [world.root.pk],
            "places": "Như trên\nLưu VT",
        },
    )
    document.refresh_from_db()
    assert (document.code_notation, document.issued_on.isoformat()) == ("01-TTr/ĐU", "2026-11-20")
    assert list(Recipient.objects.filter(document=document).values_list("place", flat=True)) == [
        "",
        "Như trên",
        "Lưu VT",
    ]
    delivery = Recipient.objects.get(document=document, organization=world.root)
    assert "01-TTr/ĐU" in receiver.get("/van-ban-cho-nhan/").content.decode()
    step(
        receiver,
        "incoming.register",
        f"/van-ban-cho-nhan/{delivery.pk}/vao-so/",
        {f"r{delivery.pk}-register": province_register.pk},
    )
    step(leader, "outgoing.revoke", f"{base}/thu-hoi/", {"reason": "Ban hành chưa đúng thẩm quyền"})
    page = leader.get(f"{base}/").content.decode()
    assert "Đã thu hồi" in page
    assert "Ban hành chưa đúng thẩm quyền" in page


def test_returning_without_a_reason_is_refused_on_the_page(world, client_for):
    from tacnghiep.directory.actors import Actor
    from tacnghiep.documents.services import drafting
    from tacnghiep.documents.tests.test_outgoing import draft

    document = draft(world)
    drafting.submit(actor=Actor(person=world.specialist_a), document=document, steps=[], signer=world.leader_a)
    before = last_id()
    response = client_for(world.leader_a).post(f"/van-ban-di/{document.pk}/duyet/", {"approve": "0", "comment": ""})
    assert response.status_code == 200
    assert "Hãy nêu những điểm cần sửa trước khi duyệt." in response.content.decode()
    assert last_id() == before

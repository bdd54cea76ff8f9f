"""The exchange with a real hub process: our province (this test's database) and another agency's system.

The other system is played by the exchange client with hand-built packages, as a
system built on the national SDK would send them.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator

import pytest
from django.utils import timezone

from tacnghiep.bus.tests import factories as packages
from tacnghiep.bus.tests import processes
from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.tests.factories import OrganizationFactory
from tacnghiep.documents.models import (
    AssignmentRole,
    DeliveryState,
    DocumentFile,
    EventKind,
    Recipient,
)
from tacnghiep.documents.services import issuing, processing
from tacnghiep.documents.services.issuing import RecipientSpec
from tacnghiep.documents.tests.conftest import entry
from tacnghiep.documents.tests.test_outgoing import approved
from tacnghiep.exchange import edxml, packaging
from tacnghiep.exchange.hubclient import HubClient
from tacnghiep.exchange.models import InboundPackage, InboxState, OutboundPackage, OutboxState
from tacnghiep.exchange.services import clerk, inbox, outbox

pytestmark = pytest.mark.django_db

OURS = "000.01.12.A49"
THEIRS = "000.00.00.A50"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[processes.Hub]:
    running = processes.hub(tmp_path_factory.mktemp("exchange-hub"))
    running.add_agency(OURS, "Đảng ủy xã Đắk Nia")
    running.add_agency(THEIRS, "Tỉnh ủy Bình An")
    running.start()
    yield running
    running.stop()


@pytest.fixture
def ours(hub: processes.Hub) -> Iterator[HubClient]:
    client = HubClient(hub.url, OURS, hub.secrets[OURS])
    yield client
    client.close()


@pytest.fixture
def theirs(hub: processes.Hub) -> Iterator[HubClient]:
    """The other agency's system; whatever an earlier test left for it is taken first."""
    client = HubClient(hub.url, THEIRS, hub.secrets[THEIRS])
    for message_type in ("edoc", "status"):
        for row in client.received(message_type):
            client.update_status(row.doc_id, "done")
    yield client
    client.close()


@pytest.fixture
def province(world):
    world.commune_a.code_qcvn102 = OURS
    world.commune_a.save()
    return OrganizationFactory(
        name="Tỉnh ủy Bình An", short_name="TU", kind="provincial-committee", code_qcvn102=THEIRS, is_external=True
    )


def _take(client: HubClient, message_type: str, tmp_path) -> list[edxml.Package]:
    taken = []
    for row in client.received(message_type):
        path = client.fetch(row.doc_id, tmp_path / f"{row.doc_id}.edxml")
        with path.open("rb") as stream:
            taken.append(edxml.parse(stream, folder=tmp_path))
        client.update_status(row.doc_id, "done")
    return taken


def _status(document_id: str, notation: str, code: str, description: str = "") -> bytes:
    package = packaging.status_package(
        sender=edxml.Organization(organ_id=THEIRS, name="Tỉnh ủy Bình An"),
        answering={"OrganId": OURS, "Code": notation, "PromulgationDate": "", "DocumentId": document_id},
        code=code,
        description=description or f"Trạng thái {code}",
        staff={"Staff": "Văn thư Bình An"},
        moment=timezone.now(),
    )
    return edxml.build(package)


_days_back = itertools.count(1)


def _issue(world, outgoing_register, province):
    """Each test's document is issued on its own day: the hub outlives the test database, and a
    document with the same sender, date and number would be the same document to it."""
    document = approved(world)
    issuing.issue(
        actor=Actor(person=world.clerk_a),
        document=document,
        register=outgoing_register,
        recipients=[RecipientSpec(organization=province), RecipientSpec(place="Lưu VT")],
        issued_on=timezone.localdate() - datetime.timedelta(days=next(_days_back)),
    )
    return document


def test_an_issued_document_goes_out_and_the_recipients_statuses_come_back(
    world, outgoing_register, province, ours, theirs, tmp_path
):
    document = _issue(world, outgoing_register, province)
    row = OutboundPackage.objects.get(outgoing=document)
    assert row.recipients == [THEIRS]
    assert Recipient.objects.get(document=document, organization=province).state == DeliveryState.QUEUED

    assert outbox.relay(ours).sent == 1
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert row.hub_doc_id
    assert Recipient.objects.get(document=document, organization=province).state == DeliveryState.SENT

    [received] = _take(theirs, "edoc", tmp_path)
    assert received.sender.organ_id == OURS
    assert [r.organ_id for r in received.recipients] == [THEIRS]
    assert received.document_id == row.document_id
    assert received.business_type == "new"
    assert [a.content_type for a in received.attachments] == ["application/pdf"]

    notation = document.code_notation
    for code in ("01", "03", "04", "05", "06"):
        theirs.send(_status(row.document_id, notation, code), "status")
    report = inbox.poll(ours)
    assert report.statuses == 5
    recipient = Recipient.objects.get(document=document, organization=province)
    assert recipient.state == DeliveryState.DONE
    history = [e.text for e in document.events.filter(kind=EventKind.REMOTE_STATUS).order_by("id")]
    states = ["sent", "arrived", "registered", "assigned", "processing", "done"]
    assert history == [f"{province}: {DeliveryState(state).label}." for state in states]
    # A repeated status changes nothing; a stale one does not move the state back.
    theirs.send(_status(row.document_id, notation, "03", "lại"), "status")
    inbox.poll(ours)
    recipient.refresh_from_db()
    assert recipient.state == DeliveryState.DONE
    assert inbox.poll(ours).statuses == 0


def test_a_refusal_brings_its_reason_to_the_drafter(world, outgoing_register, province, ours, theirs, tmp_path):
    from tacnghiep.core.models import Notification

    document = _issue(world, outgoing_register, province)
    outbox.relay(ours)
    row = OutboundPackage.objects.get(outgoing=document)
    theirs.send(_status(row.document_id, document.code_notation, "02", "Không đúng thẩm quyền"), "status")
    inbox.poll(ours)
    recipient = Recipient.objects.get(document=document, organization=province)
    assert recipient.state == DeliveryState.REFUSED
    assert recipient.note == "Không đúng thẩm quyền"
    assert Notification.objects.filter(recipient=world.specialist_a, text__contains="Không đúng thẩm quyền").exists()


def test_a_document_received_is_registered_and_handled_and_its_sender_sees_each_step(
    world, register, ours, theirs, tmp_path
):
    world.commune_a.code_qcvn102 = OURS
    world.commune_a.save()
    sent = packages.document(THEIRS, [OURS], number=12, payload=samples.pdf(2, "Kế hoạch số 12"))
    theirs.send(sent)
    assert inbox.poll(ours).documents == 1
    inbound = InboundPackage.objects.get(message_type="edoc")
    assert inbound.state == InboxState.WAITING
    assert inbound.organization == world.commune_a
    assert inbound.notation == "12/KH-TU"
    assert [f.name for f in inbound.files.all()] == ["van-ban.pdf"]
    assert inbound.files.get().file.page_count == 2
    # Received once: a second poll finds nothing, a re-send of the same package changes nothing.
    theirs.send(sent)
    assert inbox.poll(ours).documents == 0
    assert InboundPackage.objects.filter(message_type="edoc").count() == 1

    clerk_a = Actor(person=world.clerk_a)
    document = clerk.register(
        actor=clerk_a,
        inbound=inbound,
        data=clerk.Registration(
            register=register,
            document_type=entry("document-types", "ke-hoach"),
            urgency=entry("urgency-levels", "thuong"),
            secrecy=entry("secrecy-levels", "thuong"),
        ),
    )
    assert document.code_notation == "12/KH-TU"
    assert document.issuer_name == "Tỉnh ủy"
    assert DocumentFile.objects.filter(incoming=document).count() == 1
    [assignment] = processing.direct(
        actor=Actor(person=world.leader_a),
        document=document,
        direction="Giao văn phòng chủ trì",
        assignments=[processing.AssignmentSpec(role=AssignmentRole.LEAD, person=world.specialist_a)],
    )
    processing.add_opinion(actor=Actor(person=world.specialist_a), document=document, text="Đang dự thảo báo cáo")
    processing.complete(actor=Actor(person=world.specialist_a), assignment=assignment, result="Đã báo cáo")
    while outbox.relay(ours).sent:
        pass
    statuses = _take(theirs, "status", tmp_path)
    assert [s.status_code for s in statuses] == ["01", "03", "04", "05", "06"]
    assert {s.response_for[0]["DocumentId"] for s in statuses} == {f"{THEIRS},2026/11/22,12/KH-TU"}
    assert statuses[1].fields["Description"].startswith("Đã vào sổ")
    assert statuses[1].staff["Staff"] == world.clerk_a.full_name

    # The issuer revokes it (thu hồi): the files go, the register entry stays.
    theirs.send(packages.document(THEIRS, [OURS], number=12, business="1", reason="Ban hành nhầm"))
    inbox.poll(ours)
    document.refresh_from_db()
    assert document.withdrawn_at is not None
    assert DocumentFile.objects.filter(incoming=document).count() == 0
    inbound.refresh_from_db()
    assert inbound.state == InboxState.WITHDRAWN
    assert document.events.filter(kind=EventKind.WITHDRAWN, text="Ban hành nhầm").exists()


def test_a_waiting_document_can_be_refused_with_a_reason(world, ours, theirs, tmp_path):
    world.commune_a.code_qcvn102 = OURS
    world.commune_a.save()
    theirs.send(packages.document(THEIRS, [OURS], number=13, payload=samples.pdf(1)))
    inbox.poll(ours)
    inbound = InboundPackage.objects.get(message_type="edoc")
    clerk.refuse(actor=Actor(person=world.clerk_a), inbound=inbound, reason="Gửi nhầm nơi nhận")
    while outbox.relay(ours).sent:
        pass
    statuses = _take(theirs, "status", tmp_path)
    assert [(s.status_code, s.fields["Description"]) for s in statuses] == [
        ("01", "Đã đến hệ thống của nơi nhận."),
        ("02", "Gửi nhầm nơi nhận"),
    ]


def test_a_recall_request_is_answered_by_the_clerk(world, ours, theirs, tmp_path):
    world.commune_a.code_qcvn102 = OURS
    world.commune_a.save()
    theirs.send(packages.document(THEIRS, [OURS], number=14, payload=samples.pdf(1)))
    inbox.poll(ours)
    recall = packaging.status_package(
        sender=edxml.Organization(organ_id=THEIRS),
        answering={"OrganId": THEIRS, "Code": "14/KH-TU", "DocumentId": f"{THEIRS},2026/11/22,14/KH-TU"},
        code="13",
        description="Xin lấy lại để sửa",
        staff={},
        moment=timezone.now(),
    )
    theirs.send(edxml.build(recall), "status", to=[OURS])
    inbox.poll(ours)
    inbound = InboundPackage.objects.get(message_type="edoc")
    assert inbound.recall_reason == "Xin lấy lại để sửa"
    clerk.answer_recall(actor=Actor(person=world.clerk_a), inbound=inbound, agree=True)
    inbound.refresh_from_db()
    assert inbound.state == InboxState.WITHDRAWN
    while outbox.relay(ours).sent:
        pass
    assert [s.status_code for s in _take(theirs, "status", tmp_path)] == ["01", "15"]


def test_revoking_an_issued_document_tells_the_recipients_system(
    world, outgoing_register, province, ours, theirs, tmp_path
):
    document = _issue(world, outgoing_register, province)
    issuing.revoke(actor=Actor(person=world.leader_a), document=document, reason="Sai sót nội dung")
    assert Recipient.objects.get(document=document, organization=province).state == DeliveryState.WITHDRAWN
    while outbox.relay(ours).sent:
        pass
    taken = _take(theirs, "edoc", tmp_path)
    assert [(p.business_type, p.business.get("BussinessDocReason", "")) for p in taken] == [
        ("new", ""),
        ("revoke", "Sai sót nội dung"),
    ]
    assert taken[1].attachments == []


def test_a_package_for_no_one_here_is_refused_to_the_hub_and_changes_nothing(world, ours, theirs):
    world.commune_a.code_qcvn102 = OURS
    world.commune_a.save()
    # Addressed to an organization this system does not have.
    doc_id = theirs.send(packages.document(THEIRS, [OURS], number=15, payload=samples.pdf(1)), to=[OURS])
    world.commune_a.code_qcvn102 = ""
    world.commune_a.save()
    report = inbox.poll(ours)
    assert report.refused == 1
    assert InboundPackage.objects.count() == 0
    assert OutboundPackage.objects.count() == 0
    # The hub keeps it for us (failed once, listed again after the pause), not acknowledged.
    assert [row["receiveStatus"] for row in theirs.sent("edoc", doc_id)] == ["waiting"]


def test_an_external_organization_needs_an_identifier_code(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="mã định danh"):
        OrganizationFactory(name="Bộ Ngoại", is_external=True)

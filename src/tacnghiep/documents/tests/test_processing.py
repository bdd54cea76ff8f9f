import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Delegation
from tacnghiep.documents.models import AssignmentRole, EventKind
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import processing as processing_selectors
from tacnghiep.documents.services import incoming, processing
from tacnghiep.documents.services.processing import AssignmentSpec
from tacnghiep.documents.tests.conftest import entry


def registered(world, register, urgency="thuong", subject="Kế hoạch kiểm tra"):
    return incoming.register_incoming(
        actor=Actor(person=world.clerk_a),
        data=incoming.IncomingData(
            register=register,
            arrived_at=timezone.now(),
            received_via="paper",
            issuer_name="Ủy ban Kiểm tra Tỉnh ủy",
            document_type=entry("document-types", "ke-hoach"),
            subject=subject,
            urgency=entry("urgency-levels", urgency),
            secrecy=entry("secrecy-levels", "thuong"),
        ),
    )


def soon(days=3):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_leader_directs_and_the_assignee_completes(world, register):
    document = registered(world, register)
    leader, specialist = Actor(person=world.leader_a), Actor(person=world.specialist_a)
    assert not incoming_selectors.readable(specialist).filter(pk=document.pk).exists()
    processing.direct(
        actor=leader,
        document=document,
        direction="Đồng chí Ánh chủ trì, báo cáo trước ngày hạn.",
        assignments=[
            AssignmentSpec(role=AssignmentRole.LEAD, person=world.specialist_a, due_on=soon()),
            AssignmentSpec(role=AssignmentRole.INFORMATION, organization=world.commune_a_office),
        ],
    )
    # The assignee can now read the document and finds it in the inbox.
    assert incoming_selectors.readable(specialist).filter(pk=document.pk).exists()
    task = processing_selectors.inbox(specialist).get()
    assert (task.document, task.role, task.due_on) == (document, "lead", soon())
    with pytest.raises(ValidationError):
        processing.complete(actor=specialist, assignment=task, result=" ")
    processing.complete(actor=specialist, assignment=task, result="Đã xây dựng kế hoạch, trình lãnh đạo.")
    assert not processing_selectors.inbox(specialist).exists()
    kinds = list(processing_selectors.history(document).values_list("kind", flat=True))
    assert kinds == [EventKind.REGISTERED, EventKind.DIRECTED, EventKind.COMPLETED]
    actions = AuditRecord.objects.filter(object_type__startswith="documents.").values_list("action", flat=True)
    assert list(actions.order_by("id")) == [
        "register.create",
        "incoming.register",
        "incoming.direct",
        "assignment.complete",
    ]


def test_inbox_puts_urgent_documents_and_early_deadlines_first(world, register):
    leader, specialist = Actor(person=world.leader_a), Actor(person=world.specialist_a)
    normal_late = registered(world, register, subject="thường, hạn muộn")
    normal_early = registered(world, register, subject="thường, hạn sớm")
    urgent = registered(world, register, urgency="hoa-toc", subject="hỏa tốc")
    for document, due in ((normal_late, soon(9)), (normal_early, soon(2)), (urgent, soon(5))):
        processing.direct(
            actor=leader,
            document=document,
            direction="",
            assignments=[AssignmentSpec(role="lead", person=world.specialist_a, due_on=due)],
        )
    order = [a.document.subject for a in processing_selectors.inbox(specialist)]
    assert order == ["hỏa tốc", "thường, hạn sớm", "thường, hạn muộn"]


def test_only_leaders_of_the_organization_direct(world, register):
    document = registered(world, register)
    spec = [AssignmentSpec(role="lead", person=world.specialist_a)]
    for person in (world.clerk_a, world.specialist_a, world.office_leader):
        with pytest.raises(PermissionDenied):
            processing.direct(actor=Actor(person=person), document=document, direction="", assignments=spec)


def test_direction_rules_are_checked(world, register):
    document = registered(world, register)
    leader = Actor(person=world.leader_a)
    cases = [
        [],  # nobody
        [AssignmentSpec(role="information", person=world.specialist_a)],  # no lead
        [AssignmentSpec(role="lead", person=world.specialist_b)],  # another commune
        [AssignmentSpec(role="lead", person=world.specialist_a, due_on=soon(-1))],  # past deadline
        [
            AssignmentSpec(role="lead", person=world.specialist_a),
            AssignmentSpec(role="coordinate", person=world.specialist_a),
        ],
    ]
    for specs in cases:
        with pytest.raises(ValidationError):
            processing.direct(actor=leader, document=document, direction="", assignments=specs)
    assert not processing_selectors.inbox(Actor(person=world.specialist_a)).exists()


def test_a_delegate_works_the_delegator_s_inbox_as_x_for_y(world, register):
    document = registered(world, register)
    processing.direct(
        actor=Actor(person=world.leader_a),
        document=document,
        direction="",
        assignments=[AssignmentSpec(role="lead", person=world.specialist_a)],
    )
    now = timezone.now()
    Delegation.objects.create(
        delegator=world.specialist_a, delegate=world.clerk_a, starts_at=now, ends_at=now + datetime.timedelta(days=1)
    )
    delegate = Actor(person=world.clerk_a, acting_for=world.specialist_a)
    task = processing_selectors.inbox(delegate).get()
    processing.complete(actor=delegate, assignment=task, result="Đã xử lý thay.")
    record = AuditRecord.objects.get(action="assignment.complete")
    assert (record.actor_id, record.acting_for_id) == (world.clerk_a.pk, world.specialist_a.pk)
    event = processing_selectors.history(document).get(kind=EventKind.COMPLETED)
    assert (event.actor, event.acting_for) == (world.clerk_a, world.specialist_a)


def test_others_cannot_complete(world, register):
    document = registered(world, register)
    task = processing.direct(
        actor=Actor(person=world.leader_a),
        document=document,
        direction="",
        assignments=[AssignmentSpec(role="lead", person=world.specialist_a)],
    )[0]
    with pytest.raises(PermissionDenied):
        processing.complete(actor=Actor(person=world.clerk_a), assignment=task, result="x")

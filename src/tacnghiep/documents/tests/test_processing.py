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


def test_a_unit_s_leader_reassigns_inside_the_unit(world, register):
    from tacnghiep.directory.tests.factories import RoleGrantFactory

    document = registered(world, register)
    office_head = world.clerk_a  # give the office a leader: the clerk also leads the office here
    RoleGrantFactory(person=office_head, organization=world.commune_a_office, role="leader")
    unit_task = processing.direct(
        actor=Actor(person=world.leader_a),
        document=document,
        direction="Văn phòng chủ trì.",
        assignments=[AssignmentSpec(role="lead", organization=world.commune_a_office, due_on=soon(4))],
    )[0]
    head = Actor(person=office_head)
    assert processing_selectors.inbox(head).get() == unit_task
    with pytest.raises(ValidationError):  # not a member of the office
        processing.reassign_within_unit(
            actor=head,
            assignment=unit_task,
            direction="",
            assignments=[AssignmentSpec(role="lead", person=world.leader_a)],
        )
    with pytest.raises(PermissionDenied):
        processing.reassign_within_unit(
            actor=Actor(person=world.specialist_a),
            assignment=unit_task,
            direction="",
            assignments=[AssignmentSpec(role="lead", person=world.specialist_a)],
        )
    child = processing.reassign_within_unit(
        actor=head,
        assignment=unit_task,
        direction="Đồng chí Ánh thực hiện.",
        assignments=[AssignmentSpec(role="lead", person=world.specialist_a)],
    )[0]
    assert (child.parent, child.due_on) == (unit_task, soon(4))
    assert not processing_selectors.inbox(head).exists()
    assert processing_selectors.inbox(Actor(person=world.specialist_a)).get() == child


def test_opinions_and_returning_with_a_reason(world, register):
    document = registered(world, register)
    task = processing.direct(
        actor=Actor(person=world.leader_a),
        document=document,
        direction="",
        assignments=[AssignmentSpec(role="lead", person=world.specialist_a)],
    )[0]
    specialist = Actor(person=world.specialist_a)
    processing.add_opinion(actor=specialist, document=document, text="Đề nghị giao thêm Ban Xây dựng Đảng.")
    with pytest.raises(PermissionDenied):
        processing.add_opinion(actor=Actor(person=world.specialist_b), document=document, text="x")
    with pytest.raises(ValidationError):
        processing.return_assignment(actor=specialist, assignment=task, reason="  ")
    processing.return_assignment(actor=specialist, assignment=task, reason="Không thuộc lĩnh vực được phân công.")
    with pytest.raises(ValidationError):
        processing.complete(actor=specialist, assignment=task, result="x")
    kinds = list(processing_selectors.history(document).values_list("kind", flat=True))
    assert kinds == [EventKind.REGISTERED, EventKind.DIRECTED, EventKind.OPINION, EventKind.RETURNED]
    assert not processing_selectors.inbox(specialist).exists()


def test_deadline_extension_requested_then_granted_or_refused(world, register):
    from tacnghiep.documents.models import ExtensionDecision

    document = registered(world, register)
    task = processing.direct(
        actor=Actor(person=world.leader_a),
        document=document,
        direction="",
        assignments=[AssignmentSpec(role="lead", person=world.specialist_a, due_on=soon(2))],
    )[0]
    specialist, leader = Actor(person=world.specialist_a), Actor(person=world.leader_a)
    with pytest.raises(ValidationError):  # not after the current deadline
        processing.request_extension(actor=specialist, assignment=task, requested_due_on=soon(1), reason="x")
    first = processing.request_extension(
        actor=specialist, assignment=task, requested_due_on=soon(7), reason="Chờ số liệu của các chi bộ."
    )
    with pytest.raises(ValidationError):  # one pending request at a time
        processing.request_extension(actor=specialist, assignment=task, requested_due_on=soon(8), reason="y")
    with pytest.raises(PermissionDenied):
        processing.decide_extension(actor=specialist, extension=first, grant=True)
    processing.decide_extension(actor=leader, extension=first, grant=True)
    task.refresh_from_db()
    assert task.due_on == soon(7)
    second = processing.request_extension(actor=specialist, assignment=task, requested_due_on=soon(9), reason="z")
    processing.decide_extension(actor=leader, extension=second, grant=False)
    task.refresh_from_db()
    assert task.due_on == soon(7)
    second.refresh_from_db()
    assert second.decision == ExtensionDecision.REFUSED
    kinds = list(processing_selectors.history(document).values_list("kind", flat=True))
    assert kinds[-4:] == [
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_GRANTED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_REFUSED,
    ]


def test_reminders_near_the_deadline_once_and_overdue_daily(
    world, register, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tacnghiep.core.models import Notification
    from tacnghiep.directory.tests.factories import RoleGrantFactory
    from tacnghiep.documents.services.reminders import send_deadline_reminders

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    document = registered(world, register, urgency="khan")
    RoleGrantFactory(person=world.clerk_a, organization=world.commune_a_office, role="leader")
    processing.direct(
        actor=Actor(person=world.leader_a),
        document=document,
        direction="",
        assignments=[
            AssignmentSpec(role="lead", person=world.specialist_a, due_on=soon(1)),
            AssignmentSpec(role="coordinate", organization=world.commune_a_office, due_on=soon(5)),
        ],
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today) == 1  # only the lead is due tomorrow
    assert send_deadline_reminders(today) == 0  # running again sends nothing twice
    note = Notification.objects.get(recipient=world.specialist_a)
    assert note.text.startswith(f"Hạn xử lý {soon(1):%d/%m/%Y}")
    assert note.urgent  # the document is urgent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.specialist_a.email]
    later = today + datetime.timedelta(days=6)  # both overdue now: one a day each, the unit's to its leader
    assert send_deadline_reminders(later) == 2
    assert send_deadline_reminders(later + datetime.timedelta(days=1)) == 2
    assert Notification.objects.filter(recipient=world.clerk_a, text__startswith="Quá hạn").count() == 2
    assert AuditRecord.objects.filter(action="reminders.send").count() == 4


def test_notifications_page_and_mark_read(world, client_for):
    from tacnghiep.core.models import Notification
    from tacnghiep.core.notifications import notify

    notify(world.specialist_a, key="k1", text="Hạn xử lý 01/12/2026: Kế hoạch", link="/viec-can-lam/")
    client = client_for(world.specialist_a)
    page = client.get("/thong-bao/").content.decode()
    assert "Hạn xử lý 01/12/2026: Kế hoạch" in page
    assert client.get("/").content.decode().count('class="badge badge-urgent">1<') == 1
    client.post("/thong-bao/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert client_for(world.specialist_b).get("/thong-bao/").content.decode().count("Kế hoạch") == 0

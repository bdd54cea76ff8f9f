"""Outgoing documents: draft → review chain → approval → issue → recipients' waiting lists → registration."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tacnghiep.core.models import AuditRecord, Notification
from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.directory.tests.factories import staff
from tacnghiep.documents.models import (
    DeliveryState,
    DocumentFile,
    OutgoingStatus,
    ReviewMode,
    ReviewVerdict,
    StepState,
    Supersession,
)
from tacnghiep.documents.selectors import files as file_selectors
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import outgoing as outgoing_selectors
from tacnghiep.documents.services import drafting, issuing
from tacnghiep.documents.services.drafting import DraftData, StepSpec
from tacnghiep.documents.services.issuing import RecipientSpec
from tacnghiep.documents.tests.conftest import entry

pytestmark = pytest.mark.usefixtures("outgoing_register")


def draft(world, *, kind="ke-hoach", secrecy="thuong", upload=None, **extra):
    data = DraftData(
        organization=world.commune_a,
        document_type=entry("document-types", kind),
        subject="Kế hoạch tổ chức Đại hội chi bộ",
        urgency=entry("urgency-levels", "thuong"),
        secrecy=entry("secrecy-levels", secrecy),
        **extra,
    )
    return drafting.create_draft(
        actor=Actor(person=world.specialist_a),
        data=data,
        upload=upload or samples.named("du-thao.pdf", samples.pdf(2)),
        note="Bản đầu",
    )


@pytest.fixture
def deputy(world):
    return staff(world.commune_a, Role.LEADER, username="phobithu.a", full_name="Lý Phó Bí")


def approved(world, **kw):
    document = draft(world, **kw)
    drafting.submit(actor=Actor(person=world.specialist_a), document=document, steps=[], signer=world.leader_a)
    return drafting.review(actor=Actor(person=world.leader_a), document=document, approve=True)


def test_a_draft_keeps_numbered_versions_and_its_history(world):
    document = draft(world)
    drafting.add_version(
        actor=Actor(person=world.specialist_a),
        document=document,
        upload=samples.named("du-thao-2.docx", samples.docx()),
        note="Sửa mục II",
    )
    versions = list(outgoing_selectors.versions(document))
    assert [(v.number, v.name) for v in versions] == [(1, "du-thao.pdf"), (2, "du-thao-2.docx")]
    assert versions[0].pdf == versions[0].file  # a PDF is its own rendering
    assert document.status == OutgoingStatus.DRAFT
    assert [e.kind for e in outgoing_selectors.history(document)] == ["drafted", "version_added"]


def test_sequential_steps_then_parallel_any_then_the_signer(world, deputy):
    document = draft(world)
    drafter = Actor(person=world.specialist_a)
    drafting.submit(
        actor=drafter,
        document=document,
        steps=[
            StepSpec(reviewers=[world.clerk_a]),
            StepSpec(reviewers=[deputy, world.specialist_a], mode=ReviewMode.ANY),
        ],
        signer=world.leader_a,
    )
    # The signer cannot approve before the earlier steps.
    with pytest.raises(PermissionDenied):
        drafting.review(actor=Actor(person=world.leader_a), document=document, approve=True)
    drafting.review(actor=Actor(person=world.clerk_a), document=document, approve=True, comment="Được")
    document = drafting.review(actor=Actor(person=deputy), document=document, approve=True)
    steps = list(outgoing_selectors.chain(document))
    assert [s.state for s in steps] == [StepState.APPROVED, StepState.APPROVED, StepState.ACTIVE]
    # "Any" was met by the deputy: the other reviewer of that step is no longer needed.
    assert sorted(d.verdict for d in steps[1].decisions.all()) == [ReviewVerdict.APPROVED, ReviewVerdict.NOT_NEEDED]
    document = drafting.review(actor=Actor(person=world.leader_a), document=document, approve=True)
    assert document.status == OutgoingStatus.APPROVED
    assert Notification.objects.filter(recipient=world.clerk_a, key=f"to-issue:{document.pk}").exists()


def test_all_reviewers_of_a_parallel_step_must_approve(world, deputy):
    document = draft(world)
    drafting.submit(
        actor=Actor(person=world.specialist_a),
        document=document,
        steps=[StepSpec(reviewers=[deputy, world.clerk_a], mode=ReviewMode.ALL)],
        signer=world.leader_a,
    )
    drafting.review(actor=Actor(person=deputy), document=document, approve=True)
    assert [s.state for s in outgoing_selectors.chain(document)] == [StepState.ACTIVE, StepState.WAITING]
    drafting.review(actor=Actor(person=world.clerk_a), document=document, approve=True)
    assert [s.state for s in outgoing_selectors.chain(document)] == [StepState.APPROVED, StepState.ACTIVE]


def test_returning_sends_the_draft_back_and_a_new_round_starts_fresh(world, deputy):
    document = draft(world)
    drafter = Actor(person=world.specialist_a)
    drafting.submit(actor=drafter, document=document, steps=[StepSpec(reviewers=[deputy])], signer=world.leader_a)
    with pytest.raises(ValidationError):
        drafting.review(actor=Actor(person=deputy), document=document, approve=False)  # a reason is required
    document = drafting.review(actor=Actor(person=deputy), document=document, approve=False, comment="Thiếu số liệu")
    assert document.status == OutgoingStatus.RETURNED
    assert [s.state for s in outgoing_selectors.chain(document)] == [StepState.RETURNED, StepState.CANCELLED]
    version = drafting.add_version(
        actor=drafter, document=document, upload=samples.named("v2.pdf", samples.pdf(3)), note="Bổ sung số liệu"
    )
    assert [c.text for c in outgoing_selectors.versions(document)[0].comments.all()] == ["Thiếu số liệu"]
    drafting.submit(actor=drafter, document=document, steps=[StepSpec(reviewers=[deputy])], signer=world.leader_a)
    steps = list(outgoing_selectors.chain(document))
    assert [(s.round, s.state, s.version_id) for s in steps] == [
        (2, StepState.ACTIVE, version.pk),
        (2, StepState.WAITING, version.pk),
    ]


def test_only_the_drafter_submits_and_only_a_leader_signs(world):
    document = draft(world)
    with pytest.raises(PermissionDenied):
        drafting.submit(actor=Actor(person=world.clerk_a), document=document, steps=[], signer=world.leader_a)
    with pytest.raises(ValidationError):
        drafting.submit(actor=Actor(person=world.specialist_a), document=document, steps=[], signer=world.clerk_a)
    with pytest.raises(ValidationError):  # a reviewer from another commune
        drafting.submit(
            actor=Actor(person=world.specialist_a),
            document=document,
            steps=[StepSpec(reviewers=[world.specialist_b])],
            signer=world.leader_a,
        )


def test_issue_numbers_per_type_per_term_and_delivers_to_the_recipient_clerks(
    world, outgoing_register, province_register
):
    clerk = Actor(person=world.clerk_a)
    plans = [approved(world) for _ in range(2)]
    letter = approved(world, kind="cong-van")
    recipients = [
        RecipientSpec(organization=world.root),
        RecipientSpec(place="Lưu VT"),
    ]
    issued = [issuing.issue(actor=clerk, document=d, register=outgoing_register, recipients=recipients) for d in plans]
    issued.append(issuing.issue(actor=clerk, document=letter, register=outgoing_register, recipients=recipients))
    assert [d.code_notation for d in issued] == ["01-KH/ĐU", "02-KH/ĐU", "01-CV/ĐU"]
    assert all(d.status == OutgoingStatus.ISSUED for d in issued)
    main = DocumentFile.objects.get(outgoing=issued[0], role="main")
    assert main.name == "01-KH_ĐU.pdf"
    assert main.file.page_count == 2
    waiting = list(outgoing_selectors.waiting_deliveries(Actor(person=world.office_clerk)))
    assert {r.document_id for r in waiting} == {d.pk for d in issued}
    assert Notification.objects.filter(recipient=world.office_clerk, key=f"delivery:{waiting[0].pk}").exists()
    # Commune B's people see none of it.
    assert not outgoing_selectors.readable(Actor(person=world.specialist_b)).exists()
    assert AuditRecord.objects.filter(action="outgoing.issue").count() == 3


def test_only_approved_documents_are_issued_and_only_by_a_clerk(world, outgoing_register):
    document = draft(world)
    with pytest.raises(ValidationError):
        issuing.issue(
            actor=Actor(person=world.clerk_a),
            document=document,
            register=outgoing_register,
            recipients=[RecipientSpec(place="Lưu VT")],
        )
    document = approved(world)
    with pytest.raises(PermissionDenied):
        issuing.issue(
            actor=Actor(person=world.specialist_a),
            document=document,
            register=outgoing_register,
            recipients=[RecipientSpec(place="Lưu VT")],
        )
    with pytest.raises(ValidationError):  # nowhere to send it
        issuing.issue(actor=Actor(person=world.clerk_a), document=document, register=outgoing_register, recipients=[])


def test_a_docx_draft_needs_a_pdf_before_issue(world, outgoing_register, settings):
    settings.LIBREOFFICE_BINARY = "no-such-soffice"
    document = approved(world, upload=samples.named("du-thao.docx", samples.docx()))
    with pytest.raises(ValidationError, match="PDF"):
        issuing.issue(
            actor=Actor(person=world.clerk_a),
            document=document,
            register=outgoing_register,
            recipients=[RecipientSpec(place="Lưu VT")],
        )
    assert document.issued_number is None


def test_the_recipient_registers_the_delivery_with_the_issuers_files(world, outgoing_register, province_register):
    document = approved(world)
    issuing.issue(
        actor=Actor(person=world.clerk_a),
        document=document,
        register=outgoing_register,
        recipients=[RecipientSpec(organization=world.root)],
    )
    office_clerk = Actor(person=world.office_clerk)
    delivery = outgoing_selectors.waiting_deliveries(office_clerk).get()
    delivery = issuing.register_delivery(actor=office_clerk, recipient=delivery, register=province_register)
    assert delivery.state == DeliveryState.REGISTERED
    copy = incoming_selectors.get(office_clerk, delivery.incoming_id)
    assert (copy.code_notation, copy.issuer_id, copy.received_via) == ("01-KH/ĐU", world.commune_a.pk, "electronic")
    original = DocumentFile.objects.get(outgoing=document)
    assert DocumentFile.objects.get(incoming=copy).file_id == original.file_id  # the same bytes, stored once
    assert not outgoing_selectors.waiting_deliveries(office_clerk).exists()
    # One action, one audit record.
    assert AuditRecord.objects.filter(action="incoming.register", object_id=str(copy.pk)).count() == 1
    with pytest.raises(ValidationError):
        issuing.register_delivery(actor=office_clerk, recipient=delivery, register=province_register)


def test_refusing_a_delivery_tells_the_issuer(world, outgoing_register):
    document = approved(world)
    issuing.issue(
        actor=Actor(person=world.clerk_a),
        document=document,
        register=outgoing_register,
        recipients=[RecipientSpec(organization=world.root)],
    )
    office_clerk = Actor(person=world.office_clerk)
    delivery = outgoing_selectors.waiting_deliveries(office_clerk).get()
    with pytest.raises(PermissionDenied):
        issuing.refuse_delivery(actor=Actor(person=world.clerk_a), recipient=delivery, reason="Sai nơi nhận")
    issuing.refuse_delivery(actor=office_clerk, recipient=delivery, reason="Gửi nhầm nơi nhận")
    assert Notification.objects.filter(recipient=world.specialist_a, key=f"refused:{delivery.pk}").exists()


def test_revoking_withdraws_waiting_deliveries_and_tells_holders(world, outgoing_register, province_register):
    first, second = approved(world), approved(world)
    clerk = Actor(person=world.clerk_a)
    for document in (first, second):
        issuing.issue(
            actor=clerk,
            document=document,
            register=outgoing_register,
            recipients=[RecipientSpec(organization=world.root)],
        )
    office_clerk = Actor(person=world.office_clerk)
    registered = issuing.register_delivery(
        actor=office_clerk,
        recipient=outgoing_selectors.waiting_deliveries(office_clerk).get(document=first),
        register=province_register,
    )
    for document in (first, second):
        issuing.revoke(actor=Actor(person=world.leader_a), document=document, reason="Ban hành nhầm")
    states = {
        r.document_id: r.state
        for r in outgoing_selectors.recipients_of(first) | outgoing_selectors.recipients_of(second)
    }
    assert states == {first.pk: DeliveryState.REGISTERED, second.pk: DeliveryState.WITHDRAWN}
    assert registered.incoming_id is not None
    assert Notification.objects.filter(recipient=world.office_clerk, text__contains="Ban hành nhầm").count() == 2
    with pytest.raises(ValidationError):
        issuing.revoke(actor=Actor(person=world.leader_a), document=first, reason="Lần nữa")


def test_a_replacement_retires_the_old_document_when_issued(world, outgoing_register):
    clerk = Actor(person=world.clerk_a)
    old = approved(world)
    issuing.issue(actor=clerk, document=old, register=outgoing_register, recipients=[RecipientSpec(place="Lưu VT")])
    old.refresh_from_db()
    new = approved(world, supersedes=old, supersession=Supersession.REPLACE)
    issuing.issue(actor=clerk, document=new, register=outgoing_register, recipients=[RecipientSpec(place="Lưu VT")])
    old.refresh_from_db()
    assert old.status == OutgoingStatus.REPLACED
    assert "02-KH/ĐU" in [e.text for e in outgoing_selectors.history(old)][-1]


def test_secret_drafts_are_hidden_from_clerks_until_granted(world, outgoing_register):
    from tacnghiep.documents.services import secrecy

    document = draft(world, secrecy="mat")
    clerk = Actor(person=world.clerk_a)
    assert not outgoing_selectors.readable(clerk).filter(pk=document.pk).exists()
    with pytest.raises(Http404):
        outgoing_selectors.get(clerk, document.pk)
    with pytest.raises(PermissionDenied):
        secrecy.grant(actor=clerk, document=document, person=world.clerk_a)
    secrecy.grant(actor=Actor(person=world.leader_a), document=document, person=world.clerk_a)
    before = AuditRecord.objects.filter(action="outgoing.read_secret").count()
    assert outgoing_selectors.get(clerk, document.pk) == document
    assert AuditRecord.objects.filter(action="outgoing.read_secret").count() == before + 1
    version = outgoing_selectors.versions(document).get()
    assert file_selectors.get_version(clerk, version.pk) == version


@pytest.mark.skipif(
    not __import__("shutil").which("soffice"), reason="LibreOffice is optional; `make test` installs it"
)
def test_a_docx_version_is_rendered_to_pdf_by_libreoffice(world):
    from tacnghiep.documents.search import file_text
    from tacnghiep.documents.services import rendering

    document = draft(world, upload=samples.named("du-thao.docx", samples.docx("Dự thảo kế hoạch kiểm tra")))
    version = outgoing_selectors.versions(document).get()
    assert version.pdf is None
    assert rendering.render(version.pk)  # what the worker runs after the upload commits
    version.refresh_from_db()
    assert version.pdf.media_type == "application/pdf"
    assert version.pdf.page_count == 1
    assert "Dự thảo kế hoạch kiểm tra" in file_text(version.pdf)
    assert AuditRecord.objects.filter(action="outgoing.render").count() == 1

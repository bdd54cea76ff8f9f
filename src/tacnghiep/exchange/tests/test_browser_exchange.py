"""The exchange in a real browser: the clerk receives a document from another system; the sender sees statuses."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from tacnghiep.bus.tests import factories as packages
from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.tests.factories import OrganizationFactory
from tacnghiep.documents.models import DeliveryState, Recipient
from tacnghiep.documents.services import external, issuing
from tacnghiep.documents.services.issuing import RecipientSpec
from tacnghiep.documents.tests.test_outgoing import approved
from tacnghiep.exchange import edxml
from tacnghiep.exchange.hubclient import Listed
from tacnghiep.exchange.models import OutboundPackage
from tacnghiep.exchange.services import inbox
from tests.test_browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("register")]

THEIRS = "000.00.00.A50"


def _arrive(world, tmp_path, number: int) -> None:
    """As the poller would, after taking the package from the hub."""
    world.commune_a.code_qcvn102 = "000.01.12.A49"
    world.commune_a.save()
    data = packages.document(THEIRS, ["000.01.12.A49"], number=number, payload=samples.pdf(1, "Kế hoạch liên tỉnh"))
    parsed = edxml.parse(io.BytesIO(data), folder=tmp_path)
    inbox.accept_document(Listed(doc_id=f"hub-{number}", message_type="edoc", sender=THEIRS, created=""), parsed)


def test_the_clerk_registers_a_document_received_over_the_exchange(page, world, password, tmp_path):
    _arrive(world, tmp_path, 21)
    sign_in(page, "vanthu.a", password)
    page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Liên thông").click()
    expect(page.get_by_role("heading", name="Văn bản đến qua liên thông")).to_be_visible()
    expect(page.get_by_role("link", name="21/KH-TU")).to_be_visible()
    shot(page, "exchange-waiting")
    page.get_by_role("link", name="21/KH-TU").click()
    expect(page.get_by_text("Chờ văn thư tiếp nhận")).to_be_visible()
    expect(page.get_by_role("link", name="van-ban.pdf")).to_be_visible()
    shot(page, "exchange-inbound")
    page.get_by_label("Thể loại văn bản").select_option(label="Kế hoạch")
    page.get_by_role("button", name="Vào sổ").first.click()
    expect(page.get_by_text("Đã vào sổ văn bản đến, số đến 1.")).to_be_visible()
    expect(page.get_by_text("21/KH-TU").first).to_be_visible()
    assert OutboundPackage.objects.filter(status_code="03").count() == 1


def test_the_sender_sees_the_recipients_system_statuses(page, world, password, outgoing_register):
    province = OrganizationFactory(
        name="Tỉnh ủy Bình An", short_name="TU", kind="provincial-committee", code_qcvn102=THEIRS, is_external=True
    )
    document = approved(world)
    issuing.issue(
        actor=Actor(person=world.clerk_a),
        document=document,
        register=outgoing_register,
        recipients=[RecipientSpec(organization=province)],
    )
    recipient = Recipient.objects.get(document=document)
    for state in (DeliveryState.SENT, DeliveryState.ARRIVED, DeliveryState.REGISTERED):
        external.record_remote_status(recipient, state)
    sign_in(page, "vanthu.a", password)
    page.goto(f"{page.base}/van-ban-di/{document.pk}/")
    expect(page.get_by_text("Tỉnh ủy Bình An – Nơi nhận đã vào sổ").first).to_be_visible()
    shot(page, "exchange-outgoing-statuses")


def test_an_administrator_marks_an_organization_outside_the_system(page, world, password):
    from conftest import totp_code, totp_device

    # Not tests.test_browser.code_for: its shared window counter belongs to that module's tests.
    device = totp_device(world.admin_b)
    sign_in(page, "quantri.b", password)
    page.get_by_label("Mã gồm 6 chữ số").fill(totp_code(device))
    page.get_by_role("button", name="Xác thực").click()
    expect(page.get_by_role("region", name="Quản trị")).to_be_visible()
    page.goto(f"{page.base}/to-chuc/{world.commune_b.pk}/sua/")
    page.get_by_label("Ngoài hệ thống").check()
    shot(page, "exchange-organization-external")
    page.get_by_role("button", name="Lưu").click()
    world.commune_b.refresh_from_db()
    assert world.commune_b.is_external

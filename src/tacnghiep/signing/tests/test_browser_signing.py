"""Signing in a real browser: the leader approves and signs, the clerk issues, the verdict shows next to the file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.services import drafting
from tacnghiep.documents.tests.test_outgoing import draft
from tacnghiep.signing.tests.pki import official_pdf
from tests.test_browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("outgoing_register")]


def test_leader_signs_clerk_issues_and_the_verdict_shows(page, world, password, signing_keys):
    document = draft(world, upload=samples.named("ke-hoach.pdf", official_pdf(world.leader_a.full_name)))
    drafting.submit(actor=Actor(person=world.specialist_a), document=document, steps=[], signer=world.leader_a)

    sign_in(page, "bithu.a", password)
    page.goto(f"{page.base}/van-ban-di/{document.pk}/")
    shot(page, "signing-approve")
    page.get_by_role("button", name="Ký bằng công cụ ký số trên máy tính (USB token)").click()
    expect(page.get_by_role("heading", name="Ký bằng công cụ ký số trên máy tính")).to_be_visible()
    shot(page, "signing-desktop")
    page.go_back()
    page.get_by_role("button", name="Duyệt và ký số").click()
    expect(page.get_by_text("Đã duyệt và ký số.")).to_be_visible()
    expect(page.get_by_text("Chữ ký hợp lệ").first).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "vanthu.a", password)
    page.goto(f"{page.base}/van-ban-di/{document.pk}/")
    page.get_by_label("Nơi nhận khác (mỗi dòng một nơi)").fill("Lưu VT")
    page.get_by_role("button", name="Cấp số và phát hành").click()
    expect(page.get_by_text("Đã phát hành và gửi tới nơi nhận.")).to_be_visible()
    expect(page.get_by_text("Phạm Văn Bí Thư").first).to_be_visible()
    expect(page.get_by_text("Đảng ủy xã A").first).to_be_visible()
    shot(page, "signing-issued")
    page.goto(f"{page.base}/ky-so/chung-thu/")
    expect(page.get_by_text("CA thử nghiệm – hiệu lực đến")).to_be_visible()
    expect(page.get_by_role("cell", name="CA Thử nghiệm Tacnghiep")).to_be_visible()  # the issuer's name
    shot(page, "signing-certificates")

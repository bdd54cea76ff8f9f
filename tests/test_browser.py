"""The main screens in a real browser: Debian's chromium driven by Playwright, against a live server."""

from __future__ import annotations

import base64
import itertools
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser


# The browser and page fixtures are in the root conftest.py, shared with the apps' browser tests.


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def shot(page: Page, name: str) -> None:
    """Keep a screenshot for review and check the page with axe-core (WCAG 2.1 A and AA)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, (name, serious)


def incoming_register(world):
    """Commune A's incoming register, kept by its clerk."""
    from tacnghiep.directory.actors import Actor
    from tacnghiep.documents.models import Direction, PeriodKind
    from tacnghiep.documents.services import registers

    return registers.create_register(
        actor=Actor(person=world.admin_a),
        organization=world.commune_a,
        name="Sổ văn bản đến",
        direction=Direction.INCOMING,
        period_kind=PeriodKind.CALENDAR_YEAR,
    )


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto(page.base + "/dang-nhap/")  # type: ignore[attr-defined]
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


_steps = itertools.count(0)


def code_for(secret_b32: str) -> str:
    # Each call uses a later 30 s window (within the allowed drift), so no code is ever replayed.
    totp = TOTP(base64.b32decode(secret_b32), drift=next(_steps) % 2)
    return f"{totp.token():06d}"


def test_sign_in_shows_the_home_of_the_role(page, world, password):
    page.goto(page.base + "/dang-nhap/")  # type: ignore[attr-defined]
    shot(page, "sign-in")
    sign_in(page, "vanthu.a", password)
    expect(page.get_by_role("heading", name="Xin chào, Đặng Thị Đào")).to_be_visible()
    expect(page.get_by_text("Văn phòng Đảng ủy xã Đắk Nia").first).to_be_visible()
    expect(page.get_by_role("heading", name="Văn thư")).to_be_visible()  # the clerk's card
    expect(page.get_by_role("link", name="Nhật ký")).to_have_count(0)  # not an administrator
    shot(page, "home-clerk")


def test_wrong_password_then_lockout(page, world, password):
    for _ in range(4):
        sign_in(page, "vanthu.a", "sai-mat-khau")
        expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    shot(page, "sign-in-error")
    sign_in(page, "vanthu.a", "sai-mat-khau")
    sign_in(page, "vanthu.a", password)
    expect(page.get_by_role("heading", name="Tạm khóa đăng nhập")).to_be_visible()
    shot(page, "locked-out")


def test_administrator_enrolls_and_then_uses_two_factor(page, world, password):
    sign_in(page, "quantri.a", password)
    expect(page.get_by_role("heading", name="Cài đặt xác thực hai lớp")).to_be_visible()
    page.get_by_role("button", name="Bắt đầu").click()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    expect(page.get_by_role("img", name="Mã QR cho ứng dụng xác thực")).to_be_visible()
    shot(page, "totp-enroll")
    page.get_by_label("Mã gồm 6 chữ số").fill(code_for(secret))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Đã bật xác thực hai lớp cho tài khoản của bạn.")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "quantri.a", password)
    expect(page.get_by_role("heading", name="Xác thực hai lớp")).to_be_visible()
    page.get_by_label("Mã gồm 6 chữ số").fill("123456")
    page.get_by_role("button", name="Xác thực").click()
    expect(page.get_by_role("alert")).to_contain_text("Mã không đúng")
    shot(page, "totp-verify-error")
    page.wait_for_timeout(1100)  # the throttle after a wrong code
    page.get_by_label("Mã gồm 6 chữ số").fill(code_for(secret))
    page.get_by_role("button", name="Xác thực").click()
    expect(page.get_by_role("heading", name="Xin chào, Lê Quản Trị A")).to_be_visible()
    expect(page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Nhật ký")).to_be_visible()
    page.goto(page.base + "/tai-khoan/")  # type: ignore[attr-defined]
    shot(page, "account")


def test_tree_expands_with_mouse_and_keyboard(page, world, password):
    sign_in(page, "lanhdao.vp", password)
    page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Tổ chức").click()
    tree = page.get_by_role("tree", name="Cây tổ chức")
    expect(tree.get_by_role("link", name="Tỉnh ủy Thử Nghiệm")).to_be_visible()
    toggle = page.get_by_role("button", name="Hiện các đơn vị trực thuộc Tỉnh ủy Thử Nghiệm")
    toggle.click()
    expect(tree.get_by_role("link", name="Đảng ủy xã Đắk Nia", exact=True)).to_be_visible()
    commune = page.get_by_role("button", name="Hiện các đơn vị trực thuộc Đảng ủy xã Đắk Nia")
    commune.focus()
    page.keyboard.press("Enter")
    expect(tree.get_by_role("link", name="Văn phòng Đảng ủy xã Đắk Nia")).to_be_visible()
    shot(page, "organization-tree")
    tree.get_by_role("link", name="Đảng ủy xã Đắk Nia", exact=True).click()
    expect(page.get_by_role("heading", name="Đảng ủy xã Đắk Nia", exact=True)).to_be_visible()
    expect(page.get_by_text("H99.01.01")).to_be_visible()
    shot(page, "organization-detail")


def test_people_search_ignores_diacritics(page, world, password):
    sign_in(page, "lanhdao.vp", password)
    page.goto(page.base + "/can-bo/")  # type: ignore[attr-defined]
    page.get_by_label("Tìm cán bộ").fill("dang thi dao")
    results = page.locator("#people-results")
    expect(results.get_by_role("link", name="Đặng Thị Đào")).to_be_visible()
    expect(results.get_by_role("link", name="Bùi Thị Bê")).to_have_count(0)
    shot(page, "people-search")
    results.get_by_role("link", name="Đặng Thị Đào").click()
    expect(page.get_by_role("heading", name="Đặng Thị Đào")).to_be_visible()
    shot(page, "person-detail")


def test_unit_administrator_stays_inside_own_commune(page, world, password):
    from conftest import totp_device

    device = totp_device(world.admin_a)
    secret = base64.b32encode(device.bin_key).decode()
    sign_in(page, "quantri.a", password)
    page.get_by_label("Mã gồm 6 chữ số").fill(code_for(secret))
    page.get_by_role("button", name="Xác thực").click()
    administration = page.get_by_role("region", name="Quản trị")
    expect(administration.get_by_role("link", name="Đảng ủy xã Đắk Nia", exact=True)).to_be_visible()
    shot(page, "home-unit-admin")
    page.goto(f"{page.base}/to-chuc/{world.commune_a.pk}/")  # type: ignore[attr-defined]
    expect(page.get_by_role("link", name="Thêm cán bộ mới")).to_be_visible()
    page.goto(f"{page.base}/to-chuc/{world.commune_b.pk}/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Không tìm thấy")).to_be_visible()
    page.goto(f"{page.base}/can-bo/{world.specialist_b.pk}/sua/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Không tìm thấy")).to_be_visible()
    page.goto(page.base + "/can-bo/?q=bui")  # type: ignore[attr-defined]
    expect(page.get_by_text("Không tìm thấy.")).to_be_visible()
    # Adding a person to commune A through the form works and is in the audit log.
    page.goto(f"{page.base}/to-chuc/{world.commune_a.pk}/them-can-bo/")  # type: ignore[attr-defined]
    page.get_by_label("Tên đăng nhập").fill("moi.a")
    page.get_by_label("Họ và tên").fill("Y Moan Niê")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã thêm cán bộ.")).to_be_visible()
    page.goto(page.base + "/nhat-ky/?action=person.create")  # type: ignore[attr-defined]
    expect(page.get_by_role("cell", name="Y Moan Niê")).to_be_visible()
    shot(page, "audit-log")


def test_phone_layout_has_a_menu_button(browser, live_server, world, password):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, "vanthu.a", password)
    menu = page.get_by_role("button", name="Danh mục chức năng")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Cán bộ")).to_be_visible()
    shot(page, "phone-menu")
    context.close()


def test_clerk_registers_an_incoming_document(page, world, password):

    incoming_register(world)
    sign_in(page, "vanthu.a", password)
    page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Văn bản đến").click()
    page.get_by_role("link", name="Vào sổ văn bản đến").click()
    page.get_by_label("Cơ quan ban hành").fill("Văn phòng Trung ương Đảng")
    page.get_by_label("Số, ký hiệu").fill("912-CV/VPTW/nb")
    page.get_by_label("Ngày ban hành").fill("20/11/2026")
    page.get_by_label("Thể loại văn bản").select_option(label="Công văn")
    page.get_by_label("Trích yếu").fill("V/v triển khai Quy định 399-QĐ/TW")
    page.get_by_label("Độ khẩn").select_option(label="Khẩn")
    shot(page, "incoming-register")
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_text("Đã vào sổ với số đến 1.")).to_be_visible()
    shot(page, "incoming-detail")
    page.get_by_role("link", name="Văn bản đến").first.click()
    expect(page.get_by_role("cell", name="912-CV/VPTW/nb")).to_be_visible()
    expect(page.get_by_text("Khẩn").first).to_be_visible()
    shot(page, "incoming-list")


def test_incoming_flow_register_direct_complete(page, world, password):

    incoming_register(world)
    sign_in(page, "vanthu.a", password)
    page.goto(page.base + "/van-ban-den/vao-so/")  # type: ignore[attr-defined]
    page.get_by_label("Cơ quan ban hành").fill("Ban Tổ chức Tỉnh ủy")
    page.get_by_label("Thể loại văn bản").select_option(label="Hướng dẫn")
    page.get_by_label("Trích yếu").fill("Hướng dẫn kiểm điểm cuối năm")
    page.get_by_label("Độ khẩn").select_option(label="Thượng khẩn")
    page.get_by_role("button", name="Vào sổ").click()
    detail_url = page.url
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "bithu.a", password)
    page.goto(detail_url)
    page.get_by_label("Ý kiến chỉ đạo").fill("Đồng chí Ánh chủ trì tham mưu.")
    page.get_by_label("Cán bộ hoặc đơn vị").first.select_option(label="Nguyễn Văn Ánh")
    page.get_by_role("button", name="Ghi ý kiến chỉ đạo").click()
    expect(page.get_by_text("Đã ghi ý kiến chỉ đạo")).to_be_visible()
    shot(page, "incoming-directed")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "chuyenvien.a", password)
    page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Việc cần làm").click()
    expect(page.get_by_text("Thượng khẩn").first).to_be_visible()
    shot(page, "inbox")
    page.get_by_role("link", name="Hướng dẫn: Hướng dẫn kiểm điểm cuối năm").click()
    page.get_by_label("Kết quả xử lý").fill("Đã tham mưu kế hoạch kiểm điểm.")
    page.get_by_role("button", name="Hoàn thành").click()
    expect(page.get_by_text("Không có việc cần làm.")).to_be_visible()
    page.goto(detail_url)
    history = page.get_by_role("region", name="Lịch sử")
    expect(history.get_by_text("Chỉ đạo")).to_be_visible()
    expect(history.get_by_text("Đã hoàn thành")).to_be_visible()
    shot(page, "incoming-completed")


def test_outgoing_flow_draft_review_approve_issue_receive(page, world, password, tmp_path):
    from tacnghiep.core.tests import samples
    from tacnghiep.directory.actors import Actor
    from tacnghiep.directory.models import Role
    from tacnghiep.directory.tests.factories import staff
    from tacnghiep.documents.models import Direction, PeriodKind, SecretSeries
    from tacnghiep.documents.services import registers

    registers.create_register(
        actor=Actor(person=world.admin_a),
        organization=world.commune_a,
        name="Sổ văn bản đi",
        direction=Direction.OUTGOING,
        period_kind=PeriodKind.PARTY_TERM,
        term_started_on=__import__("datetime").date(2025, 7, 1),
        per_document_type=True,
        secret_series=SecretSeries.SHARED,
        notation_template="{n}-{type}/{issuer}",
    )
    registers.create_register(
        actor=Actor(person=world.sysadmin),
        organization=world.root,
        name="Sổ văn bản đến Tỉnh ủy",
        direction=Direction.INCOMING,
        period_kind=PeriodKind.CALENDAR_YEAR,
    )
    staff(world.commune_a, Role.LEADER, username="phobithu.a", full_name="Lý Phó Bí")
    draft_file = tmp_path / "du-thao-ke-hoach.pdf"
    draft_file.write_bytes(samples.pdf(2))

    sign_in(page, "chuyenvien.a", password)
    page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Văn bản đi").click()
    page.get_by_role("link", name="Soạn dự thảo mới").click()
    page.get_by_label("Thể loại văn bản").select_option(label="Kế hoạch")
    page.get_by_label("Trích yếu").fill("Kế hoạch tổ chức Đại hội chi bộ nhiệm kỳ 2027-2030")
    page.get_by_label("Nội dung dự thảo (.docx hoặc .pdf)").set_input_files(str(draft_file))
    shot(page, "outgoing-draft")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo (phiên bản 1).")).to_be_visible()
    detail_url = page.url
    page.get_by_label("Người thẩm định").first.select_option(label="Lý Phó Bí")
    page.get_by_label("Người ký (duyệt cuối cùng)").select_option(label="Hoàng Văn Bí")
    shot(page, "outgoing-submit")
    page.get_by_role("button", name="Trình", exact=True).click()
    expect(page.get_by_text("Đã trình.")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    for reviewer in ("phobithu.a", "bithu.a"):
        sign_in(page, reviewer, password)
        page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Văn bản đi").click()
        page.get_by_role("region", name="Chờ bạn cho ý kiến").get_by_role("link").first.click()
        if reviewer == "bithu.a":
            shot(page, "outgoing-review")
        page.get_by_label("Góp ý").first.fill("Đồng ý nội dung.")
        # The signer has no signing key here: approving without a digital signature (signed on paper).
        label = "Duyệt (không ký số)" if reviewer == "bithu.a" else "Đồng ý"
        page.get_by_role("button", name=label, exact=True).click()
        expect(page.get_by_text("Đã đồng ý.")).to_be_visible()
        page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "vanthu.a", password)
    page.goto(detail_url)
    page.get_by_label("Nơi nhận là cơ quan, đơn vị (gửi điện tử)").select_option(label="Tỉnh ủy Thử Nghiệm")
    shot(page, "outgoing-issue")
    page.get_by_role("button", name="Cấp số và phát hành").click()
    expect(page.get_by_text("Đã phát hành và gửi tới nơi nhận.")).to_be_visible()
    expect(page.get_by_text("01-KH/ĐU").first).to_be_visible()
    shot(page, "outgoing-issued")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "vanthu.vp", password)
    page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Chờ tiếp nhận").click()
    expect(page.get_by_text("01-KH/ĐU").first).to_be_visible()
    shot(page, "deliveries")
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_text("Đã vào sổ văn bản đến.")).to_be_visible()
    expect(page.get_by_text("Điện tử").first).to_be_visible()
    page.get_by_role("link", name="01-KH_ĐU.pdf").click()
    expect(page.get_by_text("Văn bản có 2 trang.")).to_be_visible()
    expect(page.locator("canvas.pdf-page")).to_have_count(2)
    page.wait_for_function("document.querySelector('canvas.pdf-page').dataset.drawn === '1'")
    shot(page, "pdf-viewer")


def test_search_finds_documents_without_tones(page, world, password):
    from django.utils import timezone

    from tacnghiep.directory.actors import Actor
    from tacnghiep.directory.models import CatalogEntry
    from tacnghiep.documents.services import incoming
    from tacnghiep.search.services import index_pending

    register = incoming_register(world)
    entry = CatalogEntry.objects.get
    for subject, notation in [
        ("Kế hoạch tổng kết công tác xây dựng Đảng năm 2026", "42-KH/TU"),
        ("Hướng dẫn kiểm điểm, đánh giá chất lượng tổ chức đảng", "15-HD/BTCTU"),
    ]:
        incoming.register_incoming(
            actor=Actor(person=world.clerk_a),
            data=incoming.IncomingData(
                register=register,
                arrived_at=timezone.now(),
                received_via="electronic",
                issuer_name="Tỉnh ủy Lâm Đồng",
                code_notation=notation,
                document_type=entry(catalog__code="document-types", code="ke-hoach"),
                subject=subject,
                urgency=entry(catalog__code="urgency-levels", code="thuong"),
                secrecy=entry(catalog__code="secrecy-levels", code="thuong"),
            ),
        )
    index_pending()
    sign_in(page, "bithu.a", password)
    page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Tìm").click()
    page.get_by_label("Tìm").fill("xay dung dang")
    page.get_by_role("button", name="Tìm").click()
    results = page.get_by_role("region", name="Kết quả")
    expect(
        results.get_by_role("link", name="Kế hoạch: Kế hoạch tổng kết công tác xây dựng Đảng năm 2026")
    ).to_be_visible()
    expect(results.get_by_text("Hướng dẫn kiểm điểm")).to_have_count(0)
    shot(page, "search")


def test_register_book_and_statistics(page, world, password):
    from django.utils import timezone

    from tacnghiep.directory.actors import Actor
    from tacnghiep.directory.models import CatalogEntry
    from tacnghiep.documents.services import incoming

    register = incoming_register(world)
    entry = CatalogEntry.objects.get
    for n in range(3):
        incoming.register_incoming(
            actor=Actor(person=world.clerk_a),
            data=incoming.IncomingData(
                register=register,
                arrived_at=timezone.now(),
                received_via="paper",
                issuer_name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
                code_notation=f"{120 + n}-CV/BTGDVTU",
                document_type=entry(catalog__code="document-types", code="cong-van"),
                subject=f"V/v tuyên truyền kỷ niệm ngày thành lập Đảng (đợt {n + 1})",
                urgency=entry(catalog__code="urgency-levels", code="thuong"),
                secrecy=entry(catalog__code="secrecy-levels", code="thuong"),
            ),
        )
    sign_in(page, "vanthu.a", password)
    page.get_by_role("navigation", name="Chức năng chính").get_by_role("link", name="Sổ văn bản").click()
    page.get_by_role("link", name="Sổ văn bản đến").click()
    expect(page.get_by_role("cell", name="122-CV/BTGDVTU")).to_be_visible()
    shot(page, "register-book")
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(page.base + "/thong-ke/")  # type: ignore[attr-defined]
    expect(page.get_by_role("cell", name="Đảng ủy xã Đắk Nia")).to_be_visible()
    shot(page, "statistics")

"""Register books (NĐ 30 columns) on screen, in .xlsx and PDF; statistics per organization."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.services import processing
from tacnghiep.documents.tests.test_search import register_one


@pytest.fixture
def entries(world, register):
    plan = register_one(world, register, "Kế hoạch kiểm tra chuyên đề", notation="42-KH/TU")
    register_one(world, register, "Báo cáo tình hình nội bộ", secrecy_level="mat")
    urgent = register_one(world, register, "Công văn khẩn", notation="=1+1", urgency="khan", kind="cong-van")
    processing.direct(
        actor=Actor(person=world.leader_a),
        document=plan,
        direction="",
        assignments=[processing.AssignmentSpec(role="lead", person=world.specialist_a)],
    )
    return plan, urgent


def test_the_book_has_the_nd30_columns_and_hides_secret_content(world, register, entries, client_for):
    from tacnghiep.directory.models import Role
    from tacnghiep.directory.tests.factories import staff

    other_clerk = staff(world.commune_a_office, Role.CLERK, role_at=world.commune_a, username="vanthu2.a")
    page = client_for(other_clerk).get(f"/so-van-ban/{register.pk}/").content.decode()
    for column in ("Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Tên loại và trích yếu", "Ký nhận", "Ghi chú"):
        assert column in page
    assert "Kế hoạch kiểm tra chuyên đề" in page
    assert "Nguyễn Văn Ánh" in page  # the unit or person receiving it
    assert "Báo cáo tình hình nội bộ" not in page
    assert "(văn bản mật)" in page
    own = client_for(world.clerk_a).get(f"/so-van-ban/{register.pk}/").content.decode()
    assert "Báo cáo tình hình nội bộ" in own  # the clerk who registered it


def test_the_book_exports_to_xlsx_and_pdf(world, register, entries, client_for):
    client = client_for(world.clerk_a)
    response = client.get(f"/so-van-ban/{register.pk}/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Ngày đến", "Số đến")
    # NĐ 30: secret documents have their own series, printed after the ordinary one.
    assert [r[1] for r in rows[1:]] == [1, 2, 1]
    assert rows[2][3] == "'=1+1"  # text that looks like a formula stays text
    assert rows[1][0] == timezone.localdate().strftime("%d/%m/%Y")
    pdf = client.get(f"/so-van-ban/{register.pk}/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "SỔ VĂN BẢN ĐẾN" in text
    assert "Kế hoạch kiểm tra chuyên đề" in text
    assert AuditRecord.objects.filter(action="register.export").count() == 2


def test_statistics_per_organization(world, register, entries, client_for):
    plan, _urgent = entries
    assignment = plan.assignments.get()
    processing.complete(actor=Actor(person=world.specialist_a), assignment=assignment, result="Xong")
    client = client_for(world.leader_a)
    page = client.get("/thong-ke/").content.decode()
    assert "Đảng ủy xã Đắk Nia" in page
    response = client.get("/thong-ke/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Tổ chức", "Văn bản đến", "Văn bản đi", "Xử lý đúng hạn", "Xử lý quá hạn", "Đang mở, đã quá hạn")
    assert rows[1] == ("Đảng ủy xã Đắk Nia", 3, 0, 1, 0, 0)
    assert client_for(world.specialist_b).get("/thong-ke/").content.decode().count("Đắk Nia") == 0
    last_year = client.get("/thong-ke/", {"start": "01/01/2020", "end": "31/12/2020"}).content.decode()
    assert "Đảng ủy xã Đắk Nia" not in last_year
    assert datetime.date.today().year > 2020

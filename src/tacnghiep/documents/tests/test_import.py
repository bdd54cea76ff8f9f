"""Importing an older system's register: all rows or none, with a report of what is wrong and where."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tacnghiep.core.models import AuditRecord, StoredFile
from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.models import DocumentFile, IncomingDocument
from tacnghiep.documents.services import importing, incoming
from tacnghiep.documents.tests.test_numbering import data as incoming_data

HEADER = [
    "Sổ văn bản",
    "Số đến",
    "Ngày đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng văn bản",
    "Thể loại",
    "Trích yếu",
    "Độ khẩn",
    "Tệp",
]


def sheet(rows, header=HEADER):
    book = Workbook()
    page = book.active
    page.append(header)
    for row in rows:
        page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows(n=3, start=1):
    return [
        [
            "Sổ văn bản đến",
            start + i,
            f"0{i + 2}/01/2026 08:30",
            "Văn phòng Tỉnh ủy",
            f"{100 + i}-CV/VPTU",
            "30/12/2025",
            "Công văn",
            f"Công văn số {100 + i} về công tác tổ chức",
            "Thường",
            "",
        ]
        for i in range(n)
    ]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "cv-100.pdf").write_bytes(samples.pdf(2))
    (tmp_path / "bom.docx").write_bytes(samples.docx_bomb())
    return tmp_path


def test_a_good_sheet_is_imported_with_its_numbers_and_files(world, register, folder):
    rows = good_rows(3, start=41)
    rows[0][-1] = "cv-100.pdf"
    created = importing.import_sheet(
        actor=Actor(person=world.clerk_a), data=sheet(rows), files=importing.directory_files(folder)
    )
    assert [d.arrival_number for d in created] == [41, 42, 43]
    assert IncomingDocument.objects.count() == 3
    first = IncomingDocument.objects.get(arrival_number=41)
    assert (first.code_notation, first.issued_on.isoformat(), first.document_type.code) == (
        "100-CV/VPTU",
        "2025-12-30",
        "cong-van",
    )
    assert DocumentFile.objects.get(incoming=first).file.page_count == 2
    # Registration continues after the highest imported number.
    nxt = incoming.register_incoming(
        actor=Actor(person=world.clerk_a), data=incoming_data(register, arrived_at=timezone.now())
    )
    assert nxt.arrival_number == 44 if timezone.localdate().year == 2026 else nxt.arrival_number == 1
    assert AuditRecord.objects.filter(action="incoming.import").count() == 1


def test_one_bad_row_means_nothing_is_imported_and_a_report_says_why(world, register, folder):
    rows = good_rows(4)
    rows[1][2] = "31/02/2026"  # no such day
    rows[2][6] = "Thư tình"  # not a document type
    rows[3][1] = 1  # the same number as row 2
    rows[0][-1] = "../../etc/passwd"
    with pytest.raises(importing.ImportRejected) as caught:
        importing.import_sheet(
            actor=Actor(person=world.clerk_a), data=sheet(rows), files=importing.directory_files(folder)
        )
    problems = {(p.row, p.column) for p in caught.value.problems}
    assert problems == {(2, "Tệp"), (3, "Ngày đến"), (4, "Thể loại"), (5, "Số đến")}
    assert not IncomingDocument.objects.exists()
    assert not StoredFile.objects.exists()
    report = load_workbook(io.BytesIO(importing.report_xlsx(caught.value.problems))).active
    messages = [r for r in report.iter_rows(values_only=True)]
    assert messages[0] == ("Dòng", "Cột", "Vấn đề")
    assert any("đường dẫn" in str(m[2]) for m in messages)


def test_hostile_files_named_in_the_sheet_are_refused(world, register, folder):
    rows = good_rows(1)
    rows[0][-1] = "bom.docx"
    with pytest.raises(importing.ImportRejected) as caught:
        importing.import_sheet(
            actor=Actor(person=world.clerk_a), data=sheet(rows), files=importing.directory_files(folder)
        )
    assert "bom nén" in caught.value.problems[0].message


def test_numbers_already_in_the_register_are_refused(world, register, folder):
    incoming.register_incoming(actor=Actor(person=world.clerk_a), data=incoming_data(register))
    with pytest.raises(importing.ImportRejected) as caught:
        importing.import_sheet(
            actor=Actor(person=world.clerk_a), data=sheet(good_rows(1)), files=importing.directory_files(folder)
        )
    assert caught.value.problems[0].column == "Số đến"


def test_a_sheet_without_the_needed_columns_is_refused(world, register, folder):
    with pytest.raises(importing.ValidationError, match="Trích yếu"):
        importing.import_sheet(
            actor=Actor(person=world.clerk_a),
            data=sheet(good_rows(1), header=HEADER[:7]),
            files=importing.directory_files(folder),
        )
    with pytest.raises(importing.ValidationError):
        importing.import_sheet(
            actor=Actor(person=world.clerk_a), data=b"not a workbook", files=importing.directory_files(folder)
        )


def test_only_clerks_import(world, register, folder):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        importing.import_sheet(
            actor=Actor(person=world.specialist_a), data=sheet(good_rows(1)), files=importing.directory_files(folder)
        )


def test_the_command_imports_or_writes_the_report(world, register, folder):
    good = folder / "so-den-2026.xlsx"
    good.write_bytes(sheet(good_rows(2)))
    call_command("documents", "import", str(good), "--files", str(folder), "--as", world.clerk_a.username)
    assert IncomingDocument.objects.count() == 2
    bad = folder / "so-loi.xlsx"
    rows = good_rows(1, start=10)
    rows[0][7] = ""
    bad.write_bytes(sheet(rows))
    with pytest.raises(CommandError):
        call_command("documents", "import", str(bad), "--files", str(folder), "--as", world.clerk_a.username)
    report = load_workbook(folder / "so-loi.report.xlsx").active
    assert list(report.iter_rows(values_only=True))[1][:2] == (2, "Trích yếu")
    assert IncomingDocument.objects.count() == 2


def test_the_import_page_checks_uploads_and_the_job_reports_progress(world, register, client_for):
    from tacnghiep.documents.models import ImportJob, ImportStatus
    from tacnghiep.documents.services import import_jobs

    client = client_for(world.clerk_a)
    template = client.get("/van-ban-den/nhap-so/", {"template": "1"})
    header = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert header[:3] == ("Sổ văn bản", "Số đến", "Ngày đến")
    refused = client.post(
        "/van-ban-den/nhap-so/",
        {"sheet": samples.named_upload("so.xlsx", samples.pdf()), "named_files": []},
    )
    assert "không thuộc loại tệp được chấp nhận (.xlsx)" in refused.content.decode()
    assert not ImportJob.objects.exists()
    rows = good_rows(2)
    rows[0][-1] = "cv-100.pdf"
    started = client.post(
        "/van-ban-den/nhap-so/",
        {
            "sheet": samples.named_upload("so-den-cu.xlsx", sheet(rows)),
            "named_files": [samples.named_upload("cv-100.pdf", samples.pdf())],
        },
    )
    job = ImportJob.objects.get()
    assert started["Location"] == f"/van-ban-den/nhap-so/{job.pk}/"
    waiting = client.get(started["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in waiting
    import_jobs.run(job.pk)  # what the worker does
    done = client.get(started["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done
    assert "2 văn bản đã được nhập" in done
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert DocumentFile.objects.filter(incoming__arrival_number=1).count() == 1
    # Somebody else's job is not theirs to see.
    assert client_for(world.leader_a).get(started["Location"]).status_code == 404


def test_a_rejected_job_offers_the_report(world, register, client_for):
    from tacnghiep.documents.models import ImportJob, ImportStatus
    from tacnghiep.documents.services import import_jobs

    client = client_for(world.clerk_a)
    rows = good_rows(2)
    rows[1][7] = ""
    client.post("/van-ban-den/nhap-so/", {"sheet": samples.named_upload("loi.xlsx", sheet(rows))})
    job = import_jobs.run(ImportJob.objects.get().pk)
    assert job.status == ImportStatus.REJECTED
    page = client.get(f"/van-ban-den/nhap-so/{job.pk}/").content.decode()
    assert "Ô này bắt buộc phải có." in page
    report = client.get(f"/van-ban-den/nhap-so/{job.pk}/", {"report": "1"})
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[1] == (3, "Trích yếu", "Ô này bắt buộc phải có.")
    assert not IncomingDocument.objects.exists()

"""Build a documents load on top of bench/generate.py's province: up to 1,000,000 incoming documents.

Each commune committee (and the provincial committee, with a larger share) gets
an incoming register; documents arrive over three years with realistic subjects,
issuers, notations, urgency and a few secret ones; nearly every document has a
lead assignment to someone of its committee (most completed, the recent ones
open), and its history event. Named sign-ins for the benchmark are added:
``vanthu.xa1`` (clerk of the first commune), ``chuyenvien.xa1`` (a specialist
with an inbox) and ``cb000001`` (a provincial leader, from the directory
generator). Rows are bulk-inserted (a generator, not a product path); the
search index is then built by the product's own indexer (``rebuild``).

    python -m bench.generate_documents --documents 1000000
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import time

SUBJECTS = [
    "Kế hoạch tổ chức Đại hội chi bộ nhiệm kỳ {y}",
    "Báo cáo kết quả công tác xây dựng Đảng quý {q} năm {y}",
    "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {y}",
    "Thông báo kết luận của Ban Thường vụ về công tác cán bộ",
    "V/v triển khai thực hiện Quy định {n}-QĐ/TW của Bộ Chính trị",
    "V/v tuyên truyền kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam",
    "Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ tỉnh",
    "Công văn về công tác phòng, chống thiên tai và tìm kiếm cứu nạn mùa mưa bão",
    "Quyết định thành lập Đoàn kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát",
    "Tờ trình đề nghị kết nạp đảng viên mới",
    "Báo cáo tình hình an ninh chính trị, trật tự an toàn xã hội tháng {m}",
    "Kế hoạch học tập, quán triệt Nghị quyết Hội nghị Trung ương {n}",
    "V/v góp ý dự thảo văn kiện Đại hội đại biểu Đảng bộ tỉnh",
    "Thông báo ý kiến chỉ đạo về chuyển đổi số trong các cơ quan Đảng",
    "Hướng dẫn công tác thu, nộp, quản lý và sử dụng đảng phí",
]
ISSUERS = [
    ("Văn phòng Trung ương Đảng", "VPTW"),
    ("Ban Tổ chức Trung ương", "BTCTW"),
    ("Ủy ban Kiểm tra Trung ương", "UBKTTW"),
    ("Tỉnh ủy Lâm Đồng", "TU"),
    ("Văn phòng Tỉnh ủy", "VPTU"),
    ("Ban Tổ chức Tỉnh ủy", "BTCTU"),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "BTGDVTU"),
    ("Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU"),
    ("Ủy ban nhân dân tỉnh Lâm Đồng", "UBND"),
    ("Sở Nội vụ", "SNV"),
]
TYPES = [("cong-van", "CV"), ("ke-hoach", "KH"), ("bao-cao", "BC"), ("huong-dan", "HD"), ("thong-bao", "TB")]
PASSWORD = "Bench-mat-khau-2026"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-index", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
    import django

    django.setup()
    started = time.perf_counter()
    counts = generate(args.documents, random.Random(args.seed))
    print(f"generated {counts} in {time.perf_counter() - started:.1f} s", flush=True)
    if not args.no_index:
        from tacnghiep.documents.models import IncomingDocument
        from tacnghiep.search.services import rebuild

        began = time.perf_counter()
        total = rebuild("incoming", list(IncomingDocument.objects.values_list("pk", flat=True)))
        seconds = time.perf_counter() - began
        print(f"indexed {total} documents in {seconds:.1f} s ({total / seconds:.0f}/s)", flush=True)


def generate(n_documents: int, rng: random.Random) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from tacnghiep.core.text import fold
    from tacnghiep.directory.models import CatalogEntry, Membership, Organization, Person, Role, RoleGrant
    from tacnghiep.documents.models import (
        Assignment,
        Direction,
        DocumentEvent,
        IncomingDocument,
        PeriodKind,
        Register,
        RegisterCounter,
    )

    root = Organization.objects.get(pk=1)
    communes = list(Organization.objects.filter(parent=root, kind__code="commune-committee").order_by("pk"))
    committees = [root, *communes]
    entry = {
        (e.catalog.code, e.code): e
        for e in CatalogEntry.objects.filter(
            catalog__code__in=["document-types", "urgency-levels", "secrecy-levels"]
        ).select_related("catalog")
    }
    admin = Person.objects.get(username="cb000001")  # a provincial leader: directs the documents
    registers = {
        c.pk: Register.objects.create(
            organization=c, name="Sổ văn bản đến", direction=Direction.INCOMING, period_kind=PeriodKind.CALENDAR_YEAR
        )
        for c in committees
    }
    # Named sign-ins: a clerk and a specialist of the first commune, and clerks of the province.
    password = make_password(PASSWORD)
    first = communes[0]
    start = datetime.date(2024, 1, 1)
    clerk = Person.objects.create(username="vanthu.xa1", full_name="Văn Thư Xã Một", password=password)
    specialist = Person.objects.create(username="chuyenvien.xa1", full_name="Chuyên Viên Xã Một", password=password)
    province_clerk = Person.objects.create(username="vanthu.tinh", full_name="Văn Thư Tỉnh", password=password)
    position = CatalogEntry.objects.filter(catalog__code="positions").first()
    for person, org, role in [
        (clerk, first, Role.CLERK),
        (specialist, first, Role.SPECIALIST),
        (province_clerk, root, Role.CLERK),
    ]:
        Membership.objects.create(person=person, organization=org, position=position, is_primary=True, valid_from=start)
        RoleGrant.objects.create(person=person, organization=org, role=role, valid_from=start)
    # Who handles documents in each committee: people whose primary position is in its subtree.
    handlers: dict[int, list[int]] = {c.pk: [] for c in committees}
    paths = {c.pk: c.path for c in committees}
    for person_id, path in Membership.objects.filter(is_primary=True).values_list("person_id", "organization__path"):
        for committee_id, committee_path in paths.items():
            if committee_id != root.pk and path.startswith(committee_path):
                handlers[committee_id].append(person_id)
                break
        else:
            handlers[root.pk].append(person_id)
    handlers[first.pk] = [specialist.pk]  # the specialist's inbox holds the first commune's open work

    now = timezone.now()
    zone = timezone.get_current_timezone()
    span = (now.date() - start).days
    normal, urgent = entry[("urgency-levels", "thuong")], entry[("urgency-levels", "khan")]
    normal_secrecy, secret = entry[("secrecy-levels", "thuong")], entry[("secrecy-levels", "mat")]
    types = [(entry[("document-types", code)], abbr) for code, abbr in TYPES]
    next_id = (IncomingDocument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    # The province receives a fifth of everything; the communes share the rest.
    weights = [len(communes) / 4] + [1.0] * len(communes)
    picks = rng.choices(committees, weights=weights, k=n_documents)
    days = sorted(rng.randrange(span) for _ in range(n_documents))
    counters: dict[tuple[int, str, str], int] = {}
    batch: list[IncomingDocument] = []
    assignments: list[Assignment] = []
    events: list[DocumentEvent] = []
    made = {"documents": 0, "assignments": 0}

    def flush() -> None:
        with transaction.atomic():
            IncomingDocument.objects.bulk_create(batch, batch_size=5000)
            Assignment.objects.bulk_create(assignments, batch_size=5000)
            DocumentEvent.objects.bulk_create(events, batch_size=5000)
        made["documents"] += len(batch)
        made["assignments"] += len(assignments)
        batch.clear()
        assignments.clear()
        events.clear()

    for i, (committee, day) in enumerate(zip(picks, days, strict=True)):
        arrived = datetime.datetime.combine(
            start + datetime.timedelta(days=day), datetime.time(7 + rng.randrange(10), rng.randrange(60)), tzinfo=zone
        )
        register = registers[committee.pk]
        is_secret = rng.random() < 0.01
        period = str(arrived.year)
        series = "secret" if is_secret else ""
        key = (register.pk, period, series)
        counters[key] = counters.get(key, 0) + 1
        document_type, abbr = rng.choice(types)
        issuer, issuer_short = rng.choice(ISSUERS)
        subject = rng.choice(SUBJECTS).format(
            y=arrived.year, q=(arrived.month - 1) // 3 + 1, m=arrived.month, n=rng.randrange(1, 400)
        )
        number = rng.randrange(1, 2000)
        notation = f"{number}-{abbr}/{issuer_short}"
        pk = next_id + i
        batch.append(
            IncomingDocument(
                pk=pk,
                register=register,
                organization_id=committee.pk,
                arrival_period=period,
                arrival_series=series,
                arrival_number=counters[key],
                arrived_at=arrived,
                received_via="electronic" if rng.random() < 0.7 else "paper",
                issuer_name=issuer,
                code_number=str(number),
                code_notation=notation,
                issued_on=(arrived - datetime.timedelta(days=rng.randrange(5))).date(),
                document_type=document_type,
                subject=subject,
                signer_name="",
                urgency=urgent if rng.random() < 0.1 else normal,
                secrecy=secret if is_secret else normal_secrecy,
                is_secret=is_secret,
                due_on=(arrived + datetime.timedelta(days=10)).date(),
                registered_by_id=clerk.pk if committee.pk == first.pk else province_clerk.pk,
                search_text=fold(f"{subject} {issuer} {notation}")[:1000],
            )
        )
        events.append(DocumentEvent(document_id=pk, kind="registered", actor_id=clerk.pk))
        people = handlers[committee.pk]
        if people and rng.random() < 0.95:
            recent = (now - arrived).days < 20
            assignments.append(
                Assignment(
                    document_id=pk,
                    person_id=rng.choice(people),
                    role="lead",
                    due_on=(arrived + datetime.timedelta(days=10)).date(),
                    status="pending" if recent else "completed",
                    assigned_by_id=admin.pk,
                    completed_at=None if recent else arrived + datetime.timedelta(days=rng.randrange(1, 15)),
                )
            )
        if len(batch) >= 20_000:
            flush()
            print(f"  {made['documents']:,} documents", flush=True)
    flush()
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(register_id=r, period=p, series=s, last_number=n) for (r, p, s), n in counters.items()]
    )
    with connection.cursor() as cursor:
        from django.core.management.color import no_style

        for sql in connection.ops.sequence_reset_sql(no_style(), [IncomingDocument, Assignment, DocumentEvent]):
            cursor.execute(sql)
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return made


if __name__ == "__main__":
    main()

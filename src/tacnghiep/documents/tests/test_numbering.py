import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tacnghiep.core.models import AuditRecord
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.models import Direction, IncomingDocument, PeriodKind, SecretSeries
from tacnghiep.documents.services import incoming, registers
from tacnghiep.documents.services.numbering import period_key, series_key, take_number
from tacnghiep.documents.tests.conftest import entry

VN = datetime.timezone(datetime.timedelta(hours=7))


def data(register, **kw):
    values = {
        "register": register,
        "arrived_at": datetime.datetime(2026, 3, 2, 8, 30, tzinfo=VN),
        "received_via": "paper",
        "issuer_name": "Văn phòng Trung ương Đảng",
        "document_type": entry("document-types", "cong-van"),
        "subject": "V/v triển khai thực hiện Quy định 399-QĐ/TW",
        "urgency": entry("urgency-levels", "thuong"),
        "secrecy": entry("secrecy-levels", "thuong"),
    }
    values.update(kw)
    return incoming.IncomingData(**values)


def test_arrival_numbers_are_consecutive_and_restart_each_year(world, register):
    clerk = Actor(person=world.clerk_a)
    numbers = [incoming.register_incoming(actor=clerk, data=data(register)).arrival_number for _ in range(3)]
    assert numbers == [1, 2, 3]
    new_year = data(register, arrived_at=datetime.datetime(2027, 1, 1, 0, 5, tzinfo=VN))
    assert incoming.register_incoming(actor=clerk, data=new_year).arrival_number == 1
    # 31/12 23:30 in Hà Nội is still 2026, although it is already 1 January in no time zone we use.
    late = data(register, arrived_at=datetime.datetime(2026, 12, 31, 23, 30, tzinfo=VN))
    doc = incoming.register_incoming(actor=clerk, data=late)
    assert (doc.arrival_period, doc.arrival_number) == ("2026", 4)


def test_secret_documents_use_their_own_series_when_the_scheme_says_so(world, register):
    clerk = Actor(person=world.clerk_a)
    incoming.register_incoming(actor=clerk, data=data(register))
    secret = incoming.register_incoming(actor=clerk, data=data(register, secrecy=entry("secrecy-levels", "mat")))
    assert secret.arrival_number == 1
    registers.update_register(
        actor=Actor(person=world.admin_a), register=register, changes={"secret_series": SecretSeries.SHARED}
    )
    register.refresh_from_db()
    shared = incoming.register_incoming(actor=clerk, data=data(register, secrecy=entry("secrecy-levels", "mat")))
    assert shared.arrival_number == 2


def test_party_term_numbering_per_type(world):
    register = registers.create_register(
        actor=Actor(person=world.sysadmin),
        organization=world.root,
        name="Sổ văn bản đi của Tỉnh ủy",
        direction=Direction.OUTGOING,
        period_kind=PeriodKind.PARTY_TERM,
        term_started_on=datetime.date(2025, 10, 11),
        per_document_type=True,
        secret_series=SecretSeries.SHARED,
        notation_template="{n}-{type}/{issuer}",
    )
    plan, secret = entry("document-types", "ke-hoach"), entry("secrecy-levels", "mat")
    assert period_key(register, datetime.date(2026, 5, 1)) == "term:2025-10-11"
    assert series_key(register, plan, secret) == "type:ke-hoach"  # shared: secret continues the series
    with pytest.raises(ValidationError):
        period_key(register, datetime.date(2025, 9, 1))
    with transaction.atomic():
        assert [take_number(register, "term:2025-10-11", "type:ke-hoach") for _ in range(2)] == [1, 2]
        assert take_number(register, "term:2025-10-11", "type:bao-cao") == 1


def test_a_rolled_back_registration_gives_its_number_back(world, register):
    def fail_after_numbering():
        with transaction.atomic():
            take_number(register, "2026", "")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_after_numbering()
    doc = incoming.register_incoming(actor=Actor(person=world.clerk_a), data=data(register))
    assert doc.arrival_number == 1


def test_only_clerks_of_the_organization_register(world, register):
    for person in (world.specialist_a, world.leader_a, world.specialist_b):
        with pytest.raises(PermissionDenied):
            incoming.register_incoming(actor=Actor(person=person), data=data(register))
    assert not IncomingDocument.objects.exists()
    assert AuditRecord.objects.filter(action="incoming.register", outcome="denied").count() == 3


def test_likely_duplicate_is_refused_until_confirmed(world, register):
    clerk = Actor(person=world.clerk_a)
    first = data(register, code_notation="42-kh/tu", issued_on=datetime.date(2026, 2, 27))
    incoming.register_incoming(actor=clerk, data=first)
    again = data(register, code_notation="42-KH/TU", issued_on=datetime.date(2026, 2, 27))
    with pytest.raises(incoming.LikelyDuplicate) as excinfo:
        incoming.register_incoming(actor=clerk, data=again)
    assert "số đến 1" in str(excinfo.value.messages[0])
    doc = incoming.register_incoming(actor=clerk, data=again, confirm_duplicate=True)
    assert doc.arrival_number == 2


def test_bad_input_is_refused_and_nothing_is_numbered(world, register):
    clerk = Actor(person=world.clerk_a)
    bad = data(register, subject="  ", urgency=entry("secrecy-levels", "mat"), issued_on=datetime.date(2027, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        incoming.register_incoming(actor=clerk, data=bad)
    assert set(excinfo.value.message_dict) == {"subject", "urgency", "issued_on"}
    assert incoming.register_incoming(actor=clerk, data=data(register)).arrival_number == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_registrations_get_fifty_consecutive_numbers(world, register):
    clerk = world.clerk_a
    numbers: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(50)

    def register_one() -> None:
        try:
            start.wait()
            doc = incoming.register_incoming(actor=Actor(person=clerk), data=data(register))
            numbers.append(doc.arrival_number)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register_one) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert sorted(numbers) == list(range(1, 51))
    assert IncomingDocument.objects.count() == 50
    assert timezone.now()  # the documents are committed, not just numbered

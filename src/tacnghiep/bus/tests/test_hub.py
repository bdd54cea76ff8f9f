"""The hub through its REST protocol: signed calls, store-and-forward, duplicates, dead letters, the log."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.management import call_command
from django.db import connection

from tacnghiep.bus import log, services
from tacnghiep.bus.models import Delivery, DeliveryState, LogRecord, Package
from tacnghiep.bus.tests import factories
from tacnghiep.core.db import install_append_only, remove_append_only

pytestmark = pytest.mark.django_db

TU = "000.00.00.A49"
BAN = "000.00.12.A49"
HUYEN = "000.00.31.A49"


@pytest.fixture
def agencies():
    return (
        factories.agency(code_qcvn102=TU),
        factories.agency(code_qcvn102=BAN, code_qd20="A49.12"),
        factories.agency(code_qcvn102=HUYEN),
    )


def _stored_files(settings) -> list:
    root = settings.BUS_DIR / "packages"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_document_goes_from_sender_to_recipient_and_is_acknowledged(call, agencies, settings):
    tu, ban, _huyen = agencies
    package = factories.document(TU, [BAN])
    sent = call(tu, "sendEdoc", {"from": TU, "servicetype": "eDoc", "messagetype": "edoc"}, package)
    assert sent.status_code == 200, sent.data
    assert sent.data["status"] == "OK"
    assert sent.data["ErrorCode"] == "0"
    doc_id = sent.data["DocId"]
    assert len(_stored_files(settings)) == 1

    listed = call(ban, "getReceivedEdocList", {"servicetype": "eDoc", "messagetype": "edoc"})
    rows = listed.data["data"]
    assert [(r["from"], r["to"], r["messageType"], r["notation"]) for r in rows] == [(TU, BAN, "edoc", "42/KH-TU")]
    received_id = rows[0]["docId"]
    assert received_id != doc_id  # one id per recipient, as getSentEdocList reports

    fetched = call(ban, "getEdoc", {"docId": received_id, "filePath": ""})
    assert base64.b64decode(fetched.data["data"]) == package
    assert call(tu, "getReceivedEdocList", {"messagetype": "edoc"}).data["data"] == []

    assert call(ban, "updateStatus", {"docId": received_id, "status": "done"}).data["status"] == "OK"
    assert call(ban, "getReceivedEdocList", {"messagetype": "edoc"}).data["data"] == []
    assert call(ban, "countReceiveEdoc", method="get").data["count"] == 0
    sent_rows = call(tu, "getSentEdocList", {"messagetype": "edoc", "docId": doc_id}).data["data"]
    assert [(r["senderDocId"], r["receiverDocId"], r["toCode"], r["receiveStatus"]) for r in sent_rows] == [
        (doc_id, received_id, BAN, "done")
    ]
    assert [r.event for r in LogRecord.objects.order_by("id")] == ["received", "done"]
    assert log.verify().ok


def test_either_code_form_signs_in_and_addresses(call, agencies):
    tu, ban, _huyen = agencies
    # The recipient named by its QĐ 20 code in the "to" header while the package names the QCVN 102 form.
    sent = call(tu, "sendEdoc", {"messagetype": "edoc", "to": json.dumps(["A49.12"])}, factories.document(TU, [BAN]))
    assert sent.status_code == 200, sent.data
    listed = call(ban, "getReceivedEdocList", {"messagetype": "edoc"}, system_id="A49.12")
    assert listed.status_code == 200, listed.data
    assert len(listed.data["data"]) == 1


def test_a_repeated_send_has_one_effect_and_a_new_recipient_gets_its_own_delivery(call, agencies):
    tu, _ban, _huyen = agencies
    package = factories.document(TU, [BAN])
    first = call(tu, "sendEdoc", {"messagetype": "edoc"}, package).data["DocId"]
    again = call(tu, "sendEdoc", {"messagetype": "edoc"}, package).data["DocId"]
    # Rebuilt with other bytes but the same DocumentId and business type: still the same document.
    rebuilt = factories.document(TU, [BAN], subject="Kế hoạch (gửi lại)")
    third = call(tu, "sendEdoc", {"messagetype": "edoc"}, rebuilt).data["DocId"]
    assert first == again == third
    assert Package.objects.count() == 1
    assert Delivery.objects.count() == 1

    widened = call(tu, "sendEdoc", {"messagetype": "edoc", "to": json.dumps([BAN, HUYEN])}, package).data["DocId"]
    assert widened == first
    assert sorted(Delivery.objects.values_list("recipient__code_qcvn102", flat=True)) == [BAN, HUYEN]

    # A revocation of the same document is another business type: a new package.
    revoke = factories.document(TU, [BAN], business="1")
    assert call(tu, "sendEdoc", {"messagetype": "edoc"}, revoke).data["DocId"] != first
    assert [r.event for r in LogRecord.objects.order_by("id")] == ["received", "readdressed", "received"]


def test_status_packages_travel_back_to_the_sender(call, agencies):
    tu, ban, _huyen = agencies
    call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document(TU, [BAN]))
    for code in ("01", "03"):
        answer = call(ban, "sendEdoc", {"messagetype": "status"}, factories.status(BAN, TU, code))
        assert answer.status_code == 200, answer.data
    rows = call(tu, "getReceivedEdocList", {"messagetype": "status"}).data["data"]
    assert len(rows) == 2
    assert {r["from"] for r in rows} == {BAN}
    assert call(tu, "getReceivedEdocList", {"messagetype": "edoc"}).data["data"] == []
    assert call(tu, "countReceiveStatus", method="get").data["count"] == 2


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ("secret", 401, "signature"),
        ("sender", 403, "sender"),
        ("recipient", 422, "Unknown recipients"),
        ("hash", 400, "hash-file"),
        ("hostile", 422, "DTD"),
        ("type", 422, "message type"),
    ],
)
def test_bad_sends_are_refused_with_a_reason_and_change_nothing(call, agencies, settings, change, status, words):
    from django.utils import translation

    tu, _ban, _huyen = agencies
    body = factories.document(TU, [BAN])
    keys = {"messagetype": "edoc"}
    secret = None
    if change == "secret":
        secret = "wrong"
    elif change == "sender":
        body = factories.document(HUYEN, [BAN])
    elif change == "recipient":
        body = factories.document(TU, ["000.00.99.A49"])
    elif change == "hash":
        keys["hash-file"] = "abc"
    elif change == "hostile":
        body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]><x>&e;</x>'
    elif change == "type":
        keys["messagetype"] = "status"
    with translation.override("en"):
        response = call(tu, "sendEdoc", keys, body, secret=secret)
    assert response.status_code == status
    assert response.data["status"] == "FAIL", response.data
    assert words in response.data["ErrorDesc"], response.data
    assert Package.objects.count() == 0
    assert LogRecord.objects.count() == 0
    assert _stored_files(settings) == []
    assert list((settings.BUS_DIR / "tmp").glob("*")) == []


def test_errors_are_in_vietnamese(call, agencies):
    tu, _ban, _huyen = agencies
    response = call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document(TU, ["000.00.99.A49"]))
    assert "Không rõ nơi nhận" in response.data["ErrorDesc"], response.data


def test_an_oversized_package_is_refused_before_its_body_is_read(call, agencies, settings):
    tu, _ban, _huyen = agencies
    settings.BUS_MAX_BYTES = 1024
    response = call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document(TU, [BAN], payload=b"x" * 4096))
    assert response.status_code == 413
    assert Package.objects.count() == 0
    assert _stored_files(settings) == []


def test_a_package_that_keeps_failing_becomes_a_dead_letter_and_can_be_redriven(call, agencies, settings, capsys):
    tu, ban, _huyen = agencies
    settings.BUS_RETRY_SECONDS = 1
    settings.BUS_MAX_FAILURES = 3
    call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document(TU, [BAN]))
    delivery = Delivery.objects.get()
    for attempt in range(3):
        Delivery.objects.filter(pk=delivery.pk).update(available_at=delivery.created_at)
        rows = call(ban, "getReceivedEdocList", {"messagetype": "edoc"}).data["data"]
        assert [r["docId"] for r in rows] == [delivery.doc_id], attempt
        call(ban, "updateStatus", {"docId": delivery.doc_id, "status": "fail", "reason": "parse error"})
        # After a failure the package leaves the list for the retry pause.
        assert call(ban, "getReceivedEdocList", {"messagetype": "edoc"}).data["data"] == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD
    assert delivery.failures == 3
    assert delivery.last_error == "parse error"

    call_command("bus", "dead-letters", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert [(r["doc_id"], r["from"], r["to"], r["failures"]) for r in listed] == [(delivery.doc_id, TU, BAN, 3)]
    call_command("bus", "redrive", delivery.doc_id)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.WAITING
    assert delivery.failures == 0
    assert len(call(ban, "getReceivedEdocList", {"messagetype": "edoc"}).data["data"]) == 1
    events = list(LogRecord.objects.order_by("id").values_list("event", flat=True))
    assert events == ["received", "fail", "fail", "dead", "redriven"]


def test_processing_hides_a_package_until_the_pause_is_over(call, agencies, settings):
    tu, ban, _huyen = agencies
    call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document(TU, [BAN]))
    delivery = Delivery.objects.get()
    call(ban, "updateStatus", {"docId": delivery.doc_id, "status": "processing"})
    assert call(ban, "getReceivedEdocList", {"messagetype": "edoc"}).data["data"] == []
    Delivery.objects.filter(pk=delivery.pk).update(available_at=delivery.created_at)
    assert len(call(ban, "getReceivedEdocList", {"messagetype": "edoc"}).data["data"]) == 1


def test_an_agency_sees_and_acknowledges_only_its_own_packages(call, agencies):
    tu, _ban, huyen = agencies
    call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document(TU, [BAN]))
    delivery = Delivery.objects.get()
    assert call(huyen, "getEdoc", {"docId": delivery.doc_id}).status_code == 404
    assert call(huyen, "updateStatus", {"docId": delivery.doc_id, "status": "done"}).status_code == 404
    assert call(huyen, "getSentEdocList", {"messagetype": "edoc"}).data["data"] == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.WAITING


def test_the_log_verifies_and_names_the_first_bad_record(call, agencies, capsys):
    tu, _ban, _huyen = agencies
    for number in range(1, 4):
        call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document(TU, [BAN], number=number))
    call_command("bus", "log-verify")
    assert "3 bản ghi" in capsys.readouterr().out
    second = LogRecord.objects.order_by("id")[1]
    remove_append_only(connection, "bus_logrecord")
    try:
        LogRecord.objects.filter(pk=second.pk).update(counterparts="000.00.31.A49")
        report = log.verify()
        assert (report.first_bad_id, report.checked) == (second.pk, 1)
        assert "content" in report.reason or "nội dung" in report.reason
        # Rewritten consistently by someone without the key: the signature gives it away.
        record = LogRecord.objects.get(pk=second.pk)
        record.hash = log._digest(record.chained_fields())
        LogRecord.objects.filter(pk=second.pk).update(hash=record.hash)
        LogRecord.objects.filter(pk=second.pk + 1).update(prev_hash=record.hash)
        report = log.verify()
        assert report.first_bad_id == second.pk
        assert "signature" in report.reason or "chữ ký" in report.reason
        LogRecord.objects.filter(pk=second.pk).delete()
        with pytest.raises(Exception, match="Nhật ký hỏng tại bản ghi"):
            call_command("bus", "log-verify")
    finally:
        install_append_only(connection, "bus_logrecord")


def test_the_log_refuses_changes_in_the_database(call, agencies):
    from django.db import DatabaseError, transaction

    tu, _ban, _huyen = agencies
    call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document(TU, [BAN]))
    with pytest.raises(DatabaseError), transaction.atomic():
        LogRecord.objects.update(event="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogRecord.objects.all().delete()


def test_registering_agencies_needs_the_right(call, agencies):
    tu, ban, _huyen = agencies
    body = json.dumps({"code": "000.01.12.A49", "pcode": BAN, "name": "Chi bộ", "mail": "cb@example.invalid"}).encode()
    assert call(ban, "registerAgency", {}, body).status_code == 403
    ban.may_register = True
    ban.save()
    registered = call(ban, "registerAgency", {}, body)
    assert registered.status_code == 200, registered.data
    codes = [row["code"] for row in call(tu, "getAgenciesList").data["data"]]
    assert "000.01.12.A49" in codes
    qd20 = call(tu, "getAgenciesListQD20").data["data"]
    assert any(row["code"] == "A49.12" and row["code102"] == BAN for row in qd20)
    assert call(tu, "deleteAgency", {"AgencyCode": "000.01.12.A49"}).status_code == 403
    assert call(ban, "deleteAgency", {"AgencyCode": "000.01.12.A49"}).status_code == 200
    assert "000.01.12.A49" not in [row["code"] for row in call(tu, "getAgenciesList").data["data"]]


def test_a_rotated_secret_replaces_the_old_one(call, agencies):
    tu, _ban, _huyen = agencies
    old = services.secret_for(tu)
    new = services.rotate_secret(tu)
    assert new != old
    assert call(tu, "getAgenciesList", secret=old).status_code == 401
    assert call(tu, "getAgenciesList", secret=new).status_code == 200


def test_a_registering_system_sends_and_receives_for_the_agencies_it_registered(call, agencies):
    tu, ban, huyen = agencies
    tu.may_register = True
    tu.save()
    body = json.dumps({"code": "000.02.12.A49", "pcode": TU, "name": "Ban Dân vận"}).encode()
    assert call(tu, "registerAgency", {}, body).status_code == 200
    # The province's instance sends as one of its organizations …
    sent = call(tu, "sendEdoc", {"messagetype": "edoc"}, factories.document("000.02.12.A49", [BAN]))
    assert sent.status_code == 200, sent.data
    assert Package.objects.get().sender.code == "000.02.12.A49"
    # … and takes what is addressed to it; another system cannot.
    call(ban, "sendEdoc", {"messagetype": "status"}, factories.status(BAN, "000.02.12.A49"))
    rows = call(tu, "getReceivedEdocList", {"messagetype": "status"}).data["data"]
    assert [row["to"] for row in rows] == ["000.02.12.A49"]
    assert call(tu, "updateStatus", {"docId": rows[0]["docId"], "status": "done"}).status_code == 200
    assert (
        call(huyen, "sendEdoc", {"messagetype": "edoc"}, factories.document("000.02.12.A49", [BAN])).status_code == 403
    )

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError

from tacnghiep.core import audit
from tacnghiep.core.db import install_audit_guard, remove_audit_guard
from tacnghiep.core.models import AuditRecord


@pytest.fixture
def records(db):
    return [audit.record(f"test.action{i}", object_type="test", object_id=str(i), details={"i": i}) for i in range(5)]


def test_records_chain_to_each_other(records):
    assert records[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(records):
        assert after.prev_hash == before.hash
    assert audit.verify_chain().ok
    assert audit.verify_chain().checked == 5


def test_database_refuses_update_and_delete(records):
    target = AuditRecord.objects.get(pk=records[2].pk)
    with pytest.raises((IntegrityError, InternalError, DatabaseError)), transaction.atomic():
        AuditRecord.objects.filter(pk=target.pk).update(action="forged")
    with pytest.raises((IntegrityError, InternalError, DatabaseError)), transaction.atomic():
        AuditRecord.objects.filter(pk=target.pk).delete()
    assert AuditRecord.objects.get(pk=target.pk).action == "test.action2"


def _tamper(sql, params):
    remove_audit_guard(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        install_audit_guard(connection)


def test_verify_names_the_first_altered_record(records):
    _tamper("UPDATE core_auditrecord SET object_repr = %s WHERE id = %s", ["forged", records[2].pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_broken_id == records[2].pk
    assert "content" in report.reason


def test_verify_names_the_record_after_a_deleted_one(records):
    _tamper("DELETE FROM core_auditrecord WHERE id = %s", [records[1].pk])
    report = audit.verify_chain()
    assert report.first_broken_id == records[2].pk
    assert "link" in report.reason


def test_audit_verify_command_reports_ok_and_broken(records, capsys):
    call_command("audit_verify")
    assert "5 bản ghi" in capsys.readouterr().out
    _tamper("UPDATE core_auditrecord SET action = %s WHERE id = %s", ["x", records[3].pk])
    with pytest.raises(CommandError, match=f"#{records[3].pk}"):
        call_command("audit_verify")


def test_control_characters_are_stored_escaped(db):
    entry = audit.record("test.forge", object_repr="x\n2026-01-01 admin login OK\x1b[31m")
    assert "\n" not in entry.object_repr
    assert "\\x1b" in entry.object_repr


def test_record_rolls_back_with_the_change(db):
    def change_then_fail():
        with transaction.atomic():
            audit.record("test.rolled_back")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert not AuditRecord.objects.filter(action="test.rolled_back").exists()

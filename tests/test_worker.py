"""A real Celery worker process, over the real broker, against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from tacnghiep.core import audit
from tacnghiep.core.models import AuditRecord
from tacnghiep.core.tasks import verify_audit_chain


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db):
    env = {
        **os.environ,
        "TACNGHIEP_DATABASE_URL": database_url(),
        "TACNGHIEP_DATA_DIR": str(settings.DATA_DIR),
        "TACNGHIEP_SEARCH_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tacnghiep", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.worker
def test_worker_runs_a_task_from_the_broker(worker):
    for i in range(3):
        audit.record(f"test.before_worker_{i}")
    verify_audit_chain.delay()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        done = AuditRecord.objects.filter(action="audit.verify").first()
        if done is not None:
            break
        assert worker.poll() is None, worker.stdout.read().decode(errors="replace") if worker.stdout else ""
        time.sleep(0.5)
    else:
        pytest.fail("the worker did not run the task within 90 s")
    assert done.outcome == "success"
    assert done.channel == "task"
    assert done.details["checked"] == 3
    assert audit.verify_chain().ok


@pytest.mark.worker
def test_a_registered_document_becomes_searchable_through_the_worker(worker, world, settings):
    """The registering transaction queues the document; the worker, woken on commit, indexes it."""
    from django.utils import timezone

    from tacnghiep.directory.actors import Actor
    from tacnghiep.directory.models import CatalogEntry
    from tacnghiep.documents.models import Direction, PeriodKind
    from tacnghiep.documents.services import incoming, registers
    from tacnghiep.search import selectors as search

    settings.SEARCH_WAKE_WORKER = True
    register = registers.create_register(
        actor=Actor(person=world.admin_a),
        organization=world.commune_a,
        name="Sổ văn bản đến",
        direction=Direction.INCOMING,
        period_kind=PeriodKind.CALENDAR_YEAR,
    )
    entry = CatalogEntry.objects.get
    document = incoming.register_incoming(
        actor=Actor(person=world.clerk_a),
        data=incoming.IncomingData(
            register=register,
            arrived_at=timezone.now(),
            received_via="paper",
            issuer_name="Ủy ban Kiểm tra Tỉnh ủy",
            document_type=entry(catalog__code="document-types", code="thong-bao"),
            subject="Thông báo kết luận giám sát chuyên đề",
            urgency=entry(catalog__code="urgency-levels", code="thuong"),
            secrecy=entry(catalog__code="secrecy-levels", code="thuong"),
        ),
    )
    leader = Actor(person=world.leader_a)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if [h.pk for h in search.search(leader, "giam sat chuyen de")] == [document.pk]:
            break
        assert worker.poll() is None, worker.stdout.read().decode(errors="replace") if worker.stdout else ""
        time.sleep(0.2)
    else:
        pytest.fail("the worker did not index the document within 90 s")

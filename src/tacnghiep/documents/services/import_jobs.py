"""Imports started from the pages: files are checked and kept at upload, the worker does the import."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tacnghiep.core import audit, uploads
from tacnghiep.core.access import deny
from tacnghiep.core.models import StoredFile
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.models import Direction, ImportJob, ImportStatus
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services import importing

log = logging.getLogger(__name__)


def start_import(*, actor: Actor, sheet: uploads.Uploaded, files: Sequence[uploads.Uploaded]) -> ImportJob:
    """Check and keep the uploads, record the job, and hand it to the worker once committed."""
    if not register_selectors.usable(actor, Direction.INCOMING).exists():
        raise deny("incoming.import", by=actor)
    checked_sheet = uploads.inspect(sheet, {uploads.XLSX})
    checked = [uploads.inspect(f, uploads.SCANS | uploads.ATTACHMENTS) for f in files]
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor.person,
            acting_for=actor.acting_for,
            sheet=uploads.store(checked_sheet),
            sheet_name=checked_sheet.name,
            files={item.name: uploads.store(item).sha256 for item in checked},
        )
        audit.record("incoming.import_start", by=actor, obj=job, details={"files": len(checked)})
        transaction.on_commit(lambda: _queue(job.pk))
        return job


def _queue(job_id: int) -> None:
    from tacnghiep.documents.tasks import run_import

    run_import.delay(job_id)


def run(job_id: int) -> ImportJob:
    """Run one job (in the worker): progress is saved as rows are checked; the import itself is all or nothing."""
    job = ImportJob.objects.select_related("sheet", "created_by", "acting_for").get(pk=job_id)
    if job.status != ImportStatus.WAITING:
        return job
    actor = Actor(person=job.created_by, acting_for=job.acting_for)
    stored = {s.sha256: s for s in StoredFile.objects.filter(sha256__in=list(job.files.values()))}

    def source(name: str) -> uploads.Uploaded | None:
        sha = job.files.get(uploads.safe_name(name))
        if sha is None or sha not in stored:
            return None
        with uploads.open_stored(stored[sha]) as stream:
            return uploads.NamedBytes(name, stream.read())

    def progress(phase: str, done: int, total: int) -> None:
        status = {"checking": ImportStatus.CHECKING, "writing": ImportStatus.WRITING}.get(phase)
        if status is not None:
            ImportJob.objects.filter(pk=job.pk).update(status=status, done=done, total=total)

    with uploads.open_stored(job.sheet) as stream:
        data = stream.read()
    try:
        created = importing.import_sheet(actor=actor, data=data, files=source, progress=progress)
    except importing.ImportRejected as exc:
        _finish(job, ImportStatus.REJECTED, exc.messages[0], [[p.row, p.column, p.message] for p in exc.problems])
    except (ValidationError, PermissionDenied) as exc:
        _finish(job, ImportStatus.REJECTED, " ".join(getattr(exc, "messages", [str(exc)])), [])
    except Exception:
        log.exception("import %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, _("The import failed; nothing was imported. Tell the administrator."), [])
        raise
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE, imported=len(created), done=len(created), finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _finish(job: ImportJob, status: str, message: str, problems: list[list[object]]) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, message=message[:500], problems=problems, finished_at=timezone.now()
    )

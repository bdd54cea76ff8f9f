"""Background jobs of the documents module."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from tacnghiep.core import context
from tacnghiep.documents.services.reminders import send_deadline_reminders


@shared_task(name="tacnghiep.documents.tasks.deadline_reminders")
def deadline_reminders() -> int:
    token = context.begin(context.RequestContext(channel="task"))
    try:
        return send_deadline_reminders(timezone.localdate())
    finally:
        context.end(token)


@shared_task(name="tacnghiep.documents.tasks.render_version")
def render_version(version_id: int) -> bool:
    from tacnghiep.documents.services.rendering import render

    token = context.begin(context.RequestContext(channel="task"))
    try:
        return render(version_id)
    finally:
        context.end(token)


@shared_task(name="tacnghiep.documents.tasks.run_import")
def run_import(job_id: int) -> int:
    from tacnghiep.documents.services.import_jobs import run

    token = context.begin(context.RequestContext(channel="task"))
    try:
        return run(job_id).imported
    finally:
        context.end(token)

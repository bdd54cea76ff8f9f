"""Rendering .docx drafts to PDF with LibreOffice, when it is installed.

Reviewers read a PDF in the browser; a drafter who uploads a .docx gets one
made by ``soffice --headless --convert-to pdf`` in the worker. Without
LibreOffice the draft keeps working: the page says so and asks for a PDF
before issue. The conversion runs in its own process with a time limit and a
private profile folder, on a file that already passed the upload checks.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tacnghiep.core import audit, uploads
from tacnghiep.documents.models import DraftVersion

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    return shutil.which(getattr(settings, "LIBREOFFICE_BINARY", "soffice"))


def available() -> bool:
    return soffice() is not None


def schedule(version: DraftVersion) -> None:
    """After the version is committed, have the worker render it (only .docx needs it)."""
    if version.pdf_id is not None or not available():
        return
    from tacnghiep.documents.tasks import render_version

    pk = version.pk
    transaction.on_commit(lambda: render_version.delay(pk))


def render(version_id: int) -> bool:
    """Convert one version; returns whether a PDF is now attached to it."""
    version = DraftVersion.objects.select_related("file", "document").get(pk=version_id)
    binary = soffice()
    if version.pdf_id is not None:
        return True
    if binary is None:
        return False
    with tempfile.TemporaryDirectory(prefix="tacnghiep-render-") as folder:
        work = Path(folder)
        source = work / "draft.docx"
        with uploads.open_stored(version.file) as stream, source.open("wb") as out:
            shutil.copyfileobj(stream, out)
        command = [
            binary,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(command, check=True, timeout=TIMEOUT_SECONDS, capture_output=True)  # noqa: S603
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("LibreOffice could not render version %s: %s", version_id, exc)
            return False
        output = work / "draft.pdf"
        if not output.exists():
            return False
        name = Path(version.name).with_suffix(".pdf").name
        inspected = uploads.inspect(uploads.NamedBytes(name, output.read_bytes()), {uploads.PDF})
        with transaction.atomic():
            stored = uploads.store(inspected)
            DraftVersion.objects.filter(pk=version.pk, pdf__isnull=True).update(pdf=stored)
            audit.record(
                "outgoing.render",
                organization=version.document.organization,
                obj=version.document,
                details={"version": version.number, "pdf": stored.sha256},
            )
    return True

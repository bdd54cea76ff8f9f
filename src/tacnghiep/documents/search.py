"""How documents appear in the search index (registered with the search facade in apps.ready).

Each entry carries the words to find it by (folded), its exact số/ký hiệu, the
filters, and who may read it — the same rule as selectors.incoming/outgoing
expressed as index terms (organization paths, people, units, secrecy).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db.models import Prefetch

from tacnghiep.core.models import StoredFile
from tacnghiep.core.text import fold
from tacnghiep.directory import tree
from tacnghiep.documents.models import (
    Assignment,
    AssignmentStatus,
    DocumentFile,
    IncomingDocument,
    OutgoingDocument,
    Recipient,
    ReviewDecision,
    SecretGrant,
)
from tacnghiep.search import registry

log = logging.getLogger(__name__)
TEXT_LIMIT = 100_000
TEXT_PAGES = 50


def ancestors(path: str) -> list[str]:
    """Every prefix of a materialized path: the subtree roots the organization lies in."""
    ids = tree.ancestor_ids(path)
    return ["".join(tree.segment(i) for i in ids[: n + 1]) for n in range(len(ids))]


def day(value: datetime.date | datetime.datetime | None) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.year * 10000 + value.month * 100 + value.day


def file_text(stored: StoredFile) -> str:
    """The PDF text layer, extracted once and kept on the stored file (OCR will fill scans later)."""
    if stored.text or stored.media_type != "application/pdf":
        return stored.text
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from tacnghiep.core import uploads

    try:
        with uploads.open_stored(stored) as stream:
            reader = PdfReader(stream, strict=False)
            parts = [page.extract_text() or "" for page in reader.pages[:TEXT_PAGES]]
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as exc:
        log.info("no text layer from %s: %s", stored.sha256, exc)
        return ""
    text = " ".join(" ".join(parts).split())[:TEXT_LIMIT]
    if text:
        StoredFile.objects.filter(pk=stored.pk).update(text=text)
    return text


def _texts(files: list[DocumentFile]) -> str:
    return " ".join(file_text(f.file) for f in files)


def incoming_entries(ids: list[int]) -> dict[int, dict[str, Any]]:
    documents = (
        IncomingDocument.objects.filter(pk__in=ids)
        .select_related("organization", "register", "document_type", "urgency")
        .prefetch_related(
            Prefetch(
                "assignments", queryset=Assignment.objects.only("document_id", "person_id", "organization_id", "status")
            ),
            Prefetch("files", queryset=DocumentFile.objects.select_related("file")),
        )
    )
    grants: dict[int, list[int]] = {}
    for incoming_id, person_id in SecretGrant.objects.filter(incoming_id__in=ids).values_list(
        "incoming_id", "person_id"
    ):
        grants.setdefault(incoming_id, []).append(person_id)
    entries = {}
    for d in documents:
        assignments = list(d.assignments.all())
        people = {d.registered_by_id, *(a.person_id for a in assignments if a.person_id), *grants.get(d.pk, [])}
        statuses = {a.status for a in assignments}
        status = (
            "pending"
            if AssignmentStatus.PENDING in statuses
            else "completed"
            if AssignmentStatus.COMPLETED in statuses
            else "registered"
        )
        entries[d.pk] = {
            "body": fold(
                " ".join(
                    [
                        d.subject,
                        d.issuer_name,
                        d.code_notation,
                        d.signer_name,
                        d.document_type.name,
                        _texts(list(d.files.all())),
                    ]
                )
            ),
            "notation": fold(d.code_notation).replace(" ", ""),
            "paths": ancestors(d.organization.path),
            "people": [f"p{p}" for p in people],
            "units": [f"o{a.organization_id}" for a in assignments if a.organization_id],
            "org": str(d.organization_id),
            "secret": d.is_secret,
            "register": str(d.register_id),
            "period": d.arrival_period,
            "type": d.document_type.code,
            "issuer": str(d.issuer_id or ""),
            "status": status,
            "urgency": d.urgency.code,
            "assignees": [f"p{a.person_id}" for a in assignments if a.person_id],
            "date": day(d.arrived_at),
        }
    return entries


def outgoing_entries(ids: list[int]) -> dict[int, dict[str, Any]]:
    documents = (
        OutgoingDocument.objects.filter(pk__in=ids)
        .select_related("organization", "document_type", "urgency", "drafted_by")
        .prefetch_related(
            Prefetch("recipients", queryset=Recipient.objects.select_related("organization")),
            Prefetch("files", queryset=DocumentFile.objects.select_related("file")),
        )
    )
    reviewers: dict[int, set[int]] = {}
    for document_id, person_id in ReviewDecision.objects.filter(step__document_id__in=ids).values_list(
        "step__document_id", "reviewer_id"
    ):
        reviewers.setdefault(document_id, set()).add(person_id)
    for outgoing_id, person_id in SecretGrant.objects.filter(outgoing_id__in=ids).values_list(
        "outgoing_id", "person_id"
    ):
        reviewers.setdefault(outgoing_id, set()).add(person_id)
    published = {"issued", "revoked", "replaced"}
    entries = {}
    for d in documents:
        recipients = list(d.recipients.all())
        people = {d.drafted_by_id, d.signer_id, *reviewers.get(d.pk, set())} - {None}
        rpaths = sorted({p for r in recipients if r.organization for p in ancestors(r.organization.path)})
        entries[d.pk] = {
            "body": fold(
                " ".join(
                    [d.subject, d.code_notation, d.organization.name, d.drafted_by.full_name, d.document_type.name]
                    + [r.place or (r.organization.name if r.organization else "") for r in recipients]
                    + [_texts(list(d.files.all()))]
                )
            ),
            "notation": fold(d.code_notation).replace(" ", ""),
            "paths": ancestors(d.organization.path),
            "rpaths": rpaths if d.status in published else [],
            "people": [f"p{p}" for p in people],
            "org": str(d.organization_id),
            "secret": d.is_secret,
            "register": str(d.register_id or ""),
            "period": d.issued_period,
            "type": d.document_type.code,
            "issuer": str(d.organization_id),
            "status": d.status,
            "urgency": d.urgency.code,
            "date": day(d.issued_on or d.created_at),
        }
    return entries


def register_sources() -> None:
    registry.register("incoming", incoming_entries)
    registry.register("outgoing", outgoing_entries)

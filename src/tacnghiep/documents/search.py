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
from django.utils import timezone

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


def _file_texts(field: str, ids: list[int]) -> dict[int, str]:
    """Text layers of the files of these documents, by document id (one query, then each file once)."""
    texts: dict[int, list[str]] = {}
    rows = DocumentFile.objects.filter(**{f"{field}__in": ids}).select_related("file")
    for item in rows:
        texts.setdefault(getattr(item, f"{field}_id"), []).append(file_text(item.file))
    return {k: " ".join(v) for k, v in texts.items()}


def incoming_entries(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Entries for incoming documents, read with plain value queries (the indexer handles millions)."""
    rows = IncomingDocument.objects.filter(pk__in=ids).values_list(
        "pk",
        "subject",
        "issuer_name",
        "code_notation",
        "signer_name",
        "document_type__name",
        "document_type__code",
        "organization_id",
        "organization__path",
        "registered_by_id",
        "is_secret",
        "register_id",
        "arrival_period",
        "issuer_id",
        "urgency__code",
        "arrived_at",
    )
    assignments: dict[int, list[tuple[int | None, int | None, str]]] = {}
    for document_id, person_id, organization_id, status in Assignment.objects.filter(document_id__in=ids).values_list(
        "document_id", "person_id", "organization_id", "status"
    ):
        assignments.setdefault(document_id, []).append((person_id, organization_id, status))
    grants: dict[int, list[int]] = {}
    granted = SecretGrant.objects.filter(incoming_id__in=ids).values_list("incoming_id", "person_id")
    for incoming_id, person_id in granted:
        grants.setdefault(incoming_id, []).append(person_id)
    texts = _file_texts("incoming", ids)
    entries = {}
    for (
        pk,
        subject,
        issuer_name,
        notation,
        signer,
        type_name,
        type_code,
        organization_id,
        path,
        registered_by,
        is_secret,
        register_id,
        period,
        issuer_id,
        urgency,
        arrived_at,
    ) in rows:
        work = assignments.get(pk, [])
        people = {registered_by, *(p for p, _o, _s in work if p), *grants.get(pk, [])}
        statuses = {s for _p, _o, s in work}
        status = (
            "pending"
            if AssignmentStatus.PENDING in statuses
            else "completed"
            if AssignmentStatus.COMPLETED in statuses
            else "registered"
        )
        entries[pk] = {
            "body": fold(" ".join([subject, issuer_name, notation, signer, type_name, texts.get(pk, "")])),
            "notation": fold(notation).replace(" ", ""),
            "paths": ancestors(path),
            "people": [f"p{p}" for p in people],
            "units": [f"o{o}" for _p, o, _s in work if o],
            "org": str(organization_id),
            "secret": is_secret,
            "register": str(register_id),
            "period": period,
            "type": type_code,
            "issuer": str(issuer_id or ""),
            "status": status,
            "urgency": urgency,
            "assignees": [f"p{p}" for p, _o, _s in work if p],
            "date": day(timezone.localtime(arrived_at)),
        }
    return entries


def outgoing_entries(ids: list[int]) -> dict[int, dict[str, Any]]:
    documents = (
        OutgoingDocument.objects.filter(pk__in=ids)
        .select_related("organization", "document_type", "urgency", "drafted_by")
        .prefetch_related(
            Prefetch("recipients", queryset=Recipient.objects.select_related("organization")),
        )
    )
    texts = _file_texts("outgoing", ids)
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
                    + [texts.get(d.pk, "")]
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

"""The verdict on the signatures of every PDF that enters the system, and checking again later."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tacnghiep.core import audit, uploads
from tacnghiep.core.models import StoredFile
from tacnghiep.core.pdfpages import PdfProblem
from tacnghiep.signing import verification
from tacnghiep.signing.models import SignatureCheck, TrustRoot
from tacnghiep.signing.sandbox import Pool, SandboxFailure

_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool(settings.SIGNING_CHECK_PROCESSES, settings.SIGNING_CHECK_MEMORY_MB)
        return _pool


def reset_pool() -> None:
    """Stop the children (their limits are read when they start: after a settings change, and in tests)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
        _pool = None


def policy() -> verification.Policy:
    roots = list(TrustRoot.objects.filter(is_active=True).values_list("der", flat=True))
    return verification.Policy(
        trust_roots=[bytes(der) for der in roots],
        revocation_mode=settings.SIGNING_REVOCATION_MODE,
        allow_fetching=settings.SIGNING_FETCH_REVOCATION,
        revocation_cache_seconds=settings.SIGNING_REVOCATION_CACHE_SECONDS,
    )


def inspect_pdf(data: bytes, max_pages: int) -> tuple[int, dict[str, Any]]:
    """Pages and signatures of an untrusted PDF, read in a bounded child process; PdfProblem if refused."""
    # Trust roots matter only to signed files; unsigned ones skip the query.
    signed = b"/ByteRange" in data
    header = {"max_pages": max_pages, "policy": policy().to_json() if signed else {}}
    try:
        answer = pool().ask(header, data, settings.SIGNING_CHECK_TIMEOUT)
    except SandboxFailure as exc:
        raise PdfProblem("pdf_too_complex") from exc
    if not answer.get("ok"):
        raise PdfProblem(str(answer.get("code", "pdf_broken")), int(answer.get("pages") or 0))
    return int(answer["pages"]), dict(answer["signatures"])


def verify(data: bytes) -> dict[str, Any]:
    """The verdict on a PDF already accepted (or made here), read in the bounded pool."""
    header = {"pages": False, "policy": policy().to_json()}
    try:
        answer = pool().ask(header, data, settings.SIGNING_CHECK_TIMEOUT)
    except SandboxFailure as exc:
        raise PdfProblem("pdf_too_complex") from exc
    if not answer.get("ok"):
        raise PdfProblem(str(answer.get("code", "pdf_broken")))
    return dict(answer["signatures"])


def record(stored: StoredFile, findings: dict[str, Any]) -> SignatureCheck:
    """Keep the verdict with the file (once per content; checking again replaces it)."""
    check, _created = SignatureCheck.objects.update_or_create(
        file=stored,
        defaults={
            "status": findings.get("status", verification.UNSIGNED),
            "signatures": findings.get("signatures", []),
            "checked_at": timezone.now(),
        },
    )
    return check


def recheck(stored: StoredFile) -> SignatureCheck:
    """Check a stored PDF again (after the trust roots changed, or a revocation)."""
    with uploads.open_stored(stored) as handle:
        data = handle.read()
    findings = verify(data)
    with transaction.atomic():
        before = SignatureCheck.objects.filter(file=stored).values_list("status", flat=True).first()
        check = record(stored, findings)
        audit.record(
            "signing.recheck",
            object_type="core.storedfile",
            object_id=str(stored.pk),
            object_repr=stored.sha256,
            details={"before": before, "after": check.status},
        )
        return check


def install() -> None:
    """Every PDF upload passes through the bounded inspector (called from the app's ready())."""
    uploads.use_pdf_inspector(inspect_pdf, _record)


def _record(stored: StoredFile, findings: dict[str, Any]) -> None:
    record(stored, findings)

"""Counting the pages of an untrusted PDF, without Django, so it can run in a bounded child process.

Problems are raised as :class:`PdfProblem` with a code; :mod:`tacnghiep.core.uploads`
turns the code into the Vietnamese message a person sees.
"""

from __future__ import annotations

import logging
from typing import IO

log = logging.getLogger(__name__)


class PdfProblem(Exception):
    """A PDF the system refuses: ``code`` names why, ``pages`` carries the count when that is the reason."""

    def __init__(self, code: str, pages: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.pages = pages


def count_pages(content: IO[bytes], limit: int) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(content, strict=False)
        if reader.is_encrypted:
            raise PdfProblem("pdf_encrypted")
        # The declared count first, so a huge page tree is refused before it is walked.
        pages_root = reader.root_object["/Pages"].get_object()
        declared = pages_root.get("/Count", 0) if isinstance(pages_root, dict) else 0
        if int(declared) > limit:
            raise PdfProblem("pages", int(declared))
        pages = len(reader.pages)
    except PdfProblem:
        raise
    except (PyPdfError, KeyError, TypeError, ValueError, AttributeError, RecursionError, OSError) as exc:
        log.info("refused a damaged PDF: %s", exc)
        raise PdfProblem("pdf_broken") from exc
    if pages == 0:
        raise PdfProblem("pdf_empty")
    if pages > limit:
        raise PdfProblem("pages", pages)
    return pages

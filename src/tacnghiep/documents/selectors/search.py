"""Document search for pages, the API and the command line: the index finds, the selectors confirm."""

from __future__ import annotations

from dataclasses import dataclass

from tacnghiep.directory.actors import Actor
from tacnghiep.documents.models import IncomingDocument, OutgoingDocument
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import outgoing as outgoing_selectors
from tacnghiep.search import selectors as search


@dataclass(frozen=True)
class Found:
    kind: str
    document: IncomingDocument | OutgoingDocument
    score: float


def find(
    actor: Actor, text: str, filters: search.Filters | None = None, *, limit: int = 20, offset: int = 0
) -> list[Found]:
    """Readable documents matching ``text``, best first.

    The index applies the permission rule itself; every hit is then confirmed
    through the documents selectors, so a stale entry never shows a document
    the actor may no longer read.
    """
    hits = search.search(actor, text, filters, limit=limit, offset=offset)
    incoming = incoming_selectors.readable(actor).in_bulk([h.pk for h in hits if h.kind == "incoming"])
    outgoing = outgoing_selectors.readable(actor).in_bulk([h.pk for h in hits if h.kind == "outgoing"])
    found = []
    for hit in hits:
        document = (incoming if hit.kind == "incoming" else outgoing).get(hit.pk)
        if document is not None:
            found.append(Found(hit.kind, document, hit.score))
    return found

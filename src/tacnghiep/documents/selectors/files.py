from __future__ import annotations

from django.db.models import Q, QuerySet

from tacnghiep.core import audit
from tacnghiep.core.access import scoped_get
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.models import DocumentFile, DraftVersion
from tacnghiep.documents.selectors import incoming as incoming_selectors
from tacnghiep.documents.selectors import outgoing as outgoing_selectors


def readable(actor: Actor) -> QuerySet[DocumentFile]:
    """Files of documents the actor may read: the same rule as the documents themselves."""
    return DocumentFile.objects.filter(
        Q(incoming__in=incoming_selectors.readable(actor).values("pk"))
        | Q(outgoing__in=outgoing_selectors.readable(actor).values("pk"))
    ).select_related("file", "incoming", "outgoing")


def of_incoming(document_pk: int) -> QuerySet[DocumentFile]:
    """Files of a document the caller has already been allowed to read."""
    return DocumentFile.objects.filter(incoming_id=document_pk).select_related("file")


def of_outgoing(document_pk: int) -> QuerySet[DocumentFile]:
    return DocumentFile.objects.filter(outgoing_id=document_pk).select_related("file")


def get(actor: Actor, pk: object) -> DocumentFile:
    """A file to download; downloading a secret document's file is audited."""
    item = scoped_get(readable(actor), pk, action="file.download", by=actor)
    document = item.incoming or item.outgoing
    if document is not None and document.is_secret:
        audit.record("file.read_secret", by=actor, organization=document.organization, obj=item)
    return item


def get_version(actor: Actor, pk: object) -> DraftVersion:
    """A draft version's file, readable by whoever reads the draft."""
    scoped = DraftVersion.objects.filter(document__in=outgoing_selectors.readable(actor).values("pk")).select_related(
        "file", "pdf", "document"
    )
    version = scoped_get(scoped, pk, action="version.download", by=actor)
    if version.document.is_secret:
        audit.record("version.read_secret", by=actor, organization=version.document.organization, obj=version)
    return version

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tacnghiep.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from tacnghiep.documents import search
        from tacnghiep.documents.models import DocumentEvent

        search.register_sources()
        _register_signing_purposes()
        # Every change to a document leaves a history event (by design of the services), so the
        # event is where the document is queued for re-indexing, in the same transaction.
        post_save.connect(_reindex_on_event, sender=DocumentEvent, dispatch_uid="documents-reindex")


def _reindex_on_event(sender: object, instance: object, created: bool, **kwargs: object) -> None:
    from tacnghiep.search.services import enqueue

    if not created:
        return
    document_id = getattr(instance, "document_id", None)
    outgoing_id = getattr(instance, "outgoing_id", None)
    if document_id:
        enqueue("incoming", document_id)
    if outgoing_id:
        enqueue("outgoing", outgoing_id)


def _register_signing_purposes() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from tacnghiep.documents.services import drafting
    from tacnghiep.signing.services.desktop import Purpose, register_purpose

    register_purpose(
        "outgoing.approve",
        Purpose(
            label=str(_("Approve and sign the draft")),
            complete=drafting.approve_signed_on_desktop,
            url=lambda pk: reverse("documents:outgoing_detail", args=[pk]),
        ),
    )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "tacnghiep.exchange"
    label = "exchange"
    verbose_name = _("Document exchange")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from tacnghiep.documents.models import DocumentEvent
        from tacnghiep.documents.services import external
        from tacnghiep.exchange.services import outbox, progress

        external.register_sender(outbox.enqueue_document)
        post_save.connect(progress.on_document_event, sender=DocumentEvent, dispatch_uid="exchange.progress")

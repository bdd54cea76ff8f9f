from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tacnghiep.core.models import StoredFile


class FileRole(models.TextChoices):
    MAIN = "main", _("Document text")
    ATTACHMENT = "attachment", _("Attachment")


class DocumentFile(models.Model):
    """A file of an incoming or an issued outgoing document, with the name it was given.

    The bytes live once in :class:`StoredFile`; an incoming copy of an internally
    delivered document points at the same content as the issued original.
    """

    incoming = models.ForeignKey(
        "documents.IncomingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("file name"), max_length=200)
    role = models.CharField(_("kind"), max_length=12, choices=FileRole.choices, default=FileRole.MAIN)
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["role", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(incoming__isnull=False) & Q(outgoing__isnull=True))
                | (Q(incoming__isnull=True) & Q(outgoing__isnull=False)),
                name="documents_file_one_document",
            )
        ]

    def __str__(self) -> str:
        return self.name

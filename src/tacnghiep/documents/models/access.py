from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SecretGrant(models.Model):
    """Permission for one person to read one secret document (mật, tối mật, tuyệt mật).

    Secret documents are hidden from everyone who would otherwise see them by
    role; only those named here (and the few the rules name, see
    ``documents.selectors.access``) read them, and every read is audited.
    """

    incoming = models.ForeignKey(
        "documents.IncomingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("secret-document grant")
        verbose_name_plural = _("secret-document grants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(incoming__isnull=False) & Q(outgoing__isnull=True))
                | (Q(incoming__isnull=True) & Q(outgoing__isnull=False)),
                name="documents_grant_one_document",
            ),
            models.UniqueConstraint(fields=["incoming", "person"], name="documents_grant_incoming_once"),
            models.UniqueConstraint(fields=["outgoing", "person"], name="documents_grant_outgoing_once"),
        ]
        indexes = [models.Index(fields=["person"], name="documents_grant_person")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.incoming_id or self.outgoing_id}"

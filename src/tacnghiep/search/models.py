"""The queue of objects whose index entry must be rebuilt (an outbox for the indexer)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingIndex(models.Model):
    """Written in the transaction that changes an object; the indexer drains it in batches.

    One row per object however often it changed: the indexer reads the object's
    current state, so intermediate states need no row of their own.
    """

    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    enqueued_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pending index update")
        verbose_name_plural = _("pending index updates")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_pending_once")]
        indexes = [models.Index(fields=["enqueued_at"], name="search_pending_order")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"

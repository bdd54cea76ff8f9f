"""Shared-kernel data: the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Denied")
    FAILURE = "failure", _("Failure")


class AuditRecord(models.Model):
    """One state change or denied access. Append-only and hash-chained.

    ``hash`` covers every other column and the previous record's hash, so that
    editing, deleting or reordering a record breaks the chain at that point
    (``tacnghiep audit-verify``). Database triggers refuse UPDATE and DELETE.
    """

    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acting_for_label = models.CharField(_("acting for (name)"), max_length=200, blank=True)
    # A plain id, not a foreign key: core sits below the directory, and records must
    # outlive any later change to the organization tree.
    organization_id = models.BigIntegerField(_("organization"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AuditOutcome.choices)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    client_address = models.CharField(_("client address"), max_length=45, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object"),
            models.Index(fields=["actor", "-id"], name="core_audit_actor"),
            models.Index(fields=["organization_id", "-id"], name="core_audit_org"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%d/%m/%Y %H:%M} {self.actor_label} {self.action}"

    def chained_fields(self) -> dict[str, Any]:
        """The values the hash covers, in a stable form."""
        return {
            "occurred_at": self.occurred_at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "acting_for": self.acting_for_id,
            "acting_for_label": self.acting_for_label,
            "organization": self.organization_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "outcome": self.outcome,
            "channel": self.channel,
            "request_id": self.request_id,
            "client_address": self.client_address,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }


class Notification(models.Model):
    """A message for one person in the application (and by e-mail when they have an address).

    ``key`` makes sending idempotent: the same reminder is never created twice,
    however often the scheduler runs.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="core_notification_once")]
        indexes = [models.Index(fields=["recipient", "read_at", "-id"], name="core_notification_inbox")]

    def __str__(self) -> str:
        return self.text


class StoredFile(models.Model):
    """File content, stored once under its SHA-256 and never rewritten.

    Documents refer to content through this row; two uploads of the same bytes
    share it. The name a person gave a file belongs to the referring row.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    media_type = models.CharField(_("type"), max_length=100)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    text = models.TextField(_("text layer"), blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.sha256

    @property
    def storage_name(self) -> str:
        return f"files/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"

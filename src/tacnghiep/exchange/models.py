"""The exchange's outbox and inbox: what goes to the hub and what came from it.

The outbox row is written in the transaction of the change it reports (an
issue, a registration, an assignment), so that nothing is sent that did not
happen and nothing that happened is forgotten; the relay sends it afterwards
and the hub makes repeats harmless. The inbox has one row per package the hub
listed to us (unique hub id) and one *effect* per document (unique sender,
DocumentId, business type and recipient), so a package fetched twice after a
crash changes nothing the second time.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from tacnghiep.core.models import StoredFile
from tacnghiep.directory.models import Organization
from tacnghiep.documents.models import IncomingDocument, OutgoingDocument


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Accepted by the hub")
    FAILED = "failed", _("Refused by the hub")


class OutboundPackage(models.Model):
    """One package to send: a document (new, revoke, update, replace) or a status about a received one."""

    message_type = models.CharField(max_length=6)  # "edoc" or "status"
    outgoing = models.ForeignKey(
        OutgoingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="outbound_packages"
    )
    business = models.CharField(max_length=8, blank=True)
    inbound = models.ForeignKey(
        "exchange.InboundPackage", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    status_code = models.CharField(max_length=2, blank=True)
    description = models.CharField(max_length=1000, blank=True)
    staff = models.JSONField(default=dict, blank=True)
    # The codes the package goes to, and its DocumentId (how status packages find their way back).
    recipients = models.JSONField(default=list)
    document_id = models.CharField(max_length=300, blank=True, db_index=True)
    # When it happened: written into a status package, so that a rebuilt package has the same bytes.
    moment = models.DateTimeField()
    state = models.CharField(max_length=8, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    hub_doc_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing package")
        verbose_name_plural = _("outgoing packages")
        indexes = [models.Index(fields=["state", "next_attempt_at", "id"], name="exchange_outbox_due")]

    def __str__(self) -> str:
        return f"{self.message_type} {self.status_code or self.business} {self.document_id}"


class InboxState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the clerk")
    REGISTERED = "registered", _("Registered")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Revoked by the issuer")
    APPLIED = "applied", _("Applied")
    IGNORED = "ignored", _("Not applicable")


class InboundPackage(models.Model):
    """A package the hub gave us: a document for a clerk to register, or news about one we sent."""

    hub_doc_id = models.CharField(max_length=64, unique=True)
    message_type = models.CharField(max_length=6)
    sender_code = models.CharField(max_length=35)
    sender_name = models.CharField(max_length=300, blank=True)
    to_code = models.CharField(max_length=35, blank=True)
    document_id = models.CharField(max_length=300, blank=True)
    business_type = models.CharField(max_length=1, blank=True)
    status_code = models.CharField(max_length=2, blank=True)
    # Our organization the document is for (whose clerks register it).
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    incoming = models.ForeignKey(
        IncomingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_packages"
    )
    # The earlier package this one revokes, updates or replaces.
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fields = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=InboxState.choices)
    note = models.CharField(max_length=1000, blank=True)
    received_at = models.DateTimeField()
    # Highest status we have reported for it (01…06), so that each goes once and in order.
    reported = models.CharField(max_length=2, blank=True)
    recall_reason = models.CharField(max_length=1000, blank=True)
    recall_answer = models.CharField(max_length=2, blank=True)

    class Meta:
        verbose_name = _("received package")
        verbose_name_plural = _("received packages")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender_code", "document_id", "business_type", "to_code"],
                condition=models.Q(message_type="edoc"),
                name="exchange_inbound_once",
            )
        ]
        indexes = [models.Index(fields=["organization", "state"], name="exchange_inbound_waiting")]

    def __str__(self) -> str:
        return f"{self.sender_code} {self.document_id}"

    @property
    def promulgation_date(self) -> datetime.date | None:
        """PromulgationDate as a date (edXML writes yyyy/mm/dd), for pages that show dd/mm/yyyy."""
        value = self.fields.get("PromulgationDate", "").strip()[:10]
        for pattern in ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        return None

    @property
    def notation(self) -> str:
        from tacnghiep.exchange.edxml import join_notation

        return join_notation(self.fields.get("CodeNumber", ""), self.fields.get("CodeNotation", ""))


class InboundFile(models.Model):
    package = models.ForeignKey(InboundPackage, on_delete=models.PROTECT, related_name="files")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("received file")
        verbose_name_plural = _("received files")
        ordering = ["package", "position"]

    def __str__(self) -> str:
        return self.name

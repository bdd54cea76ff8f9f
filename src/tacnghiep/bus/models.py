"""The hub's data: agencies, packages, per-recipient deliveries and the message log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AgencySource(models.TextChoices):
    DIRECTORY = "directory", _("From the directory")
    REGISTERED = "registered", _("Registered through the hub")


class Agency(models.Model):
    """A system that may send and receive through the hub, known by either identifier-code form.

    Its secret is not stored: it is derived from the hub's key, a per-agency salt
    and ``secret_version`` (``tacnghiep bus credentials``), so rotating one agency's
    secret is a version bump.
    """

    code_qd20 = models.CharField(_("identifier code (QĐ 20/2020)"), max_length=35, blank=True)
    code_qcvn102 = models.CharField(_("identifier code (QCVN 102)"), max_length=13, blank=True)
    name = models.CharField(_("name"), max_length=300)
    parent_code = models.CharField(_("parent code"), max_length=35, blank=True)
    mail = models.CharField(_("email"), max_length=254, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    # A plain id: the hub may run on its own database, without the directory's rows.
    organization_id = models.BigIntegerField(_("organization"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=AgencySource.choices)
    may_register = models.BooleanField(_("may register agencies"), default=False)
    # Random and not secret by itself: the secret is HMAC(hub key, salt and version).
    secret_salt = models.CharField(max_length=32)
    secret_version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["code_qd20"], condition=~Q(code_qd20=""), name="bus_agency_qd20_unique"),
            models.UniqueConstraint(
                fields=["code_qcvn102"], condition=~Q(code_qcvn102=""), name="bus_agency_qcvn102_unique"
            ),
            models.CheckConstraint(condition=~Q(code_qd20="") | ~Q(code_qcvn102=""), name="bus_agency_has_a_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def code(self) -> str:
        """The code this hub shows first: the QCVN 102 form (what packages carry), else the QĐ 20 form."""
        return self.code_qcvn102 or self.code_qd20

    @property
    def codes(self) -> set[str]:
        return {c for c in (self.code_qcvn102, self.code_qd20) if c}


class MessageType(models.TextChoices):
    EDOC = "edoc", _("Document package")
    STATUS = "status", _("Status package")


class Package(models.Model):
    """One package accepted from a sender, stored under its SHA-256 on disk before it was acknowledged."""

    doc_id = models.CharField(max_length=36, unique=True)
    sender = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sent_packages")
    message_type = models.CharField(max_length=6, choices=MessageType.choices)
    # Same sender, same key: the same package (DocumentId and business type for documents).
    dedup_key = models.CharField(max_length=400)
    document_id = models.CharField(max_length=300, blank=True)
    business_type = models.CharField(max_length=1, blank=True)
    status_code = models.CharField(max_length=2, blank=True)
    notation = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        constraints = [
            models.UniqueConstraint(fields=["sender", "message_type", "dedup_key"], name="bus_package_once"),
        ]

    def __str__(self) -> str:
        return self.doc_id

    @property
    def storage_name(self) -> str:
        return self.storage_name_for(self.sha256)

    @staticmethod
    def storage_name_for(sha256: str) -> str:
        # One level of 256 folders: after the first few hundred packages a new file creates no
        # folder, so keeping it costs one fsync of the file and one of its folder.
        return f"{sha256[:2]}/{sha256}.edxml"


class DeliveryState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the recipient")
    PROCESSING = "processing", _("Being processed by the recipient")
    DONE = "done", _("Acknowledged")
    DEAD = "dead", _("Dead letter")


class Delivery(models.Model):
    """A package on its way to one recipient; listed to it until it acknowledges ``done``."""

    doc_id = models.CharField(max_length=36, unique=True)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="deliveries")
    recipient = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="deliveries")
    message_type = models.CharField(max_length=6, choices=MessageType.choices)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.WAITING)
    # Hidden from the recipient's list until then: after "processing" or "fail", the package comes back.
    available_at = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["package", "recipient"], name="bus_delivery_once")]
        indexes = [
            models.Index(fields=["recipient", "message_type", "state", "available_at"], name="bus_delivery_inbox"),
            models.Index(fields=["state", "updated_at"], name="bus_delivery_state"),
        ]

    def __str__(self) -> str:
        return self.doc_id


class LogRecord(models.Model):
    """One event of the message log: append-only, hash-chained and signed by the hub's log key."""

    occurred_at = models.DateTimeField()
    event = models.CharField(max_length=20)
    doc_id = models.CharField(max_length=36, blank=True)
    agency = models.CharField(max_length=35, blank=True)
    counterparts = models.CharField(max_length=2000, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("message log record")
        verbose_name_plural = _("message log records")

    def __str__(self) -> str:
        return f"{self.pk} {self.event} {self.doc_id}"

    def chained_fields(self) -> dict[str, Any]:
        return {
            "occurred_at": self.occurred_at.isoformat(),
            "event": self.event,
            "doc_id": self.doc_id,
            "agency": self.agency,
            "counterparts": self.counterparts,
            "sha256": self.sha256,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tacnghiep.directory.models import CatalogEntry, Organization
from tacnghiep.documents.models.registers import Register


class ReceivedVia(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")


class SigningAuthority(models.TextChoices):
    NONE = "", _("Signs in own name")
    ON_BEHALF = "TM", _("On behalf of (TM.)")
    DEPUTY = "KT", _("For the head (KT.)")
    BY_ORDER = "TL", _("By order (TL.)")
    AUTHORIZED = "TUQ", _("By authorization (TUQ.)")
    ACTING = "Q", _("Acting (Q.)")


class IncomingDocument(models.Model):
    """A registered incoming document (văn bản đến). Field names follow edXML where one exists."""

    register = models.ForeignKey(Register, verbose_name=_("register"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, verbose_name=_("registering organization"), on_delete=models.PROTECT, related_name="+"
    )
    arrival_period = models.CharField(_("numbering period"), max_length=20)
    arrival_series = models.CharField(_("numbering series"), max_length=60, blank=True)
    arrival_number = models.PositiveIntegerField(_("arrival number"))
    arrived_at = models.DateTimeField(_("arrival date and time"))
    received_via = models.CharField(_("received as"), max_length=12, choices=ReceivedVia.choices)
    issuer = models.ForeignKey(
        Organization, verbose_name=_("issuer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issuer_name = models.CharField(_("issuer name"), max_length=200)
    code_number = models.CharField(_("number"), max_length=11, blank=True)
    code_notation = models.CharField(_("number and notation"), max_length=30, blank=True)
    issued_on = models.DateField(_("issued date"), null=True, blank=True)
    document_type = models.ForeignKey(
        CatalogEntry, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=500)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signing_authority = models.CharField(
        _("signing authority"), max_length=4, choices=SigningAuthority.choices, blank=True
    )
    urgency = models.ForeignKey(CatalogEntry, verbose_name=_("urgency"), on_delete=models.PROTECT, related_name="+")
    secrecy = models.ForeignKey(CatalogEntry, verbose_name=_("secrecy"), on_delete=models.PROTECT, related_name="+")
    # Copied from the secrecy level's rank so that every list can filter on it without a join.
    is_secret = models.BooleanField(_("secret"), default=False, editable=False)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # Revoked by its issuer (NĐ 30): files removed, the register entry kept.
    withdrawn_at = models.DateTimeField(_("revoked by the issuer at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    search_text = models.CharField(max_length=1000, blank=True, editable=False)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-arrived_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "arrival_period", "arrival_series", "arrival_number"],
                name="documents_incoming_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "-arrived_at", "-id"], name="documents_incoming_org_list"),
            models.Index(fields=["code_notation", "issued_on"], name="documents_incoming_duplicate"),
        ]

    def __str__(self) -> str:
        return f"{self.arrival_number} – {self.code_notation or self.subject[:60]}"

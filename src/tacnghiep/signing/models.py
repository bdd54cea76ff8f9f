from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tacnghiep.core.models import StoredFile
from tacnghiep.directory.models import Organization


class Certificate(models.Model):
    """A signing certificate and who holds it: a person or an organization (the certificate registry)."""

    der = models.BinaryField(_("certificate"))
    sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    common_name = models.CharField(_("common name"), max_length=300)
    organization_name = models.CharField(_("organization in the certificate"), max_length=300, blank=True)
    issuer = models.CharField(_("issuer"), max_length=500)
    serial = models.CharField(_("serial number"), max_length=100)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("holder (organization)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("in use"), default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["not_after", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(organization__isnull=True), name="signing_certificate_one_holder"
            )
        ]
        indexes = [models.Index(fields=["is_active", "not_after"], name="signing_cert_expiry")]

    def __str__(self) -> str:
        return self.common_name


class TrustRoot(models.Model):
    """A root certificate the administrator trusts (for example the Ban Cơ yếu root)."""

    name = models.CharField(_("name"), max_length=200)
    der = models.BinaryField(_("certificate"))
    sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=500)
    not_after = models.DateTimeField(_("valid until"))
    is_active = models.BooleanField(_("trusted"), default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trust root")
        verbose_name_plural = _("trust roots")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KeyKind(models.TextChoices):
    PKCS12 = "pkcs12", _("PKCS#12 file on the server")
    PKCS11 = "pkcs11", _("PKCS#11 token or HSM")


class SigningKey(models.Model):
    """Where the private key of a registered certificate lives, for signing on the server.

    The password (PKCS#12) or PIN (PKCS#11) is read from the environment variable
    ``secret_env`` names; it is never stored. ``image`` is the handwritten
    signature (a person's key) or the seal (an organization's key), a transparent PNG.
    """

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="key")
    kind = models.CharField(_("kind"), max_length=8, choices=KeyKind.choices)
    path = models.CharField(_("file or PKCS#11 library"), max_length=500)
    token_label = models.CharField(_("token label"), max_length=100, blank=True)
    key_label = models.CharField(_("key label"), max_length=100, blank=True)
    secret_env = models.CharField(_("environment variable holding the password or PIN"), max_length=100, blank=True)
    image = models.ForeignKey(
        StoredFile, verbose_name=_("signature or seal image"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return f"{self.certificate} ({self.kind})"


class CheckStatus(models.TextChoices):
    UNSIGNED = "unsigned", _("Not signed")
    VALID = "valid", _("Valid signature")
    UNTRUSTED = "untrusted", _("Valid, but the certificate is not from a trusted root")
    MODIFIED = "modified", _("Modified after signing")
    INVALID = "invalid", _("Invalid signature")


class SignatureCheck(models.Model):
    """The verdict on the signatures of one stored PDF, taken when it entered the system."""

    file = models.OneToOneField(StoredFile, primary_key=True, on_delete=models.CASCADE, related_name="signature_check")
    status = models.CharField(_("signature"), max_length=10, choices=CheckStatus.choices)
    signatures = models.JSONField(default=list)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("signature check")
        verbose_name_plural = _("signature checks")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.status}"


class SessionState(models.TextChoices):
    OPEN = "open", _("Waiting for the signed file")
    DONE = "done", _("Signed")
    FAILED = "failed", _("Refused")


class DesktopSession(models.Model):
    """One file handed to a signer's desktop signing tool, and the signed PDF it sends back.

    The tool reaches the server without the browser's session, so the URLs carry
    a random token; only its hash is kept. A session is single-use and expires.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=SessionState.choices, default=SessionState.OPEN)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("desktop signing session")
        verbose_name_plural = _("desktop signing sessions")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.purpose} {self.object_id} ({self.state})"

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tacnghiep.core.models import StoredFile
from tacnghiep.directory.models import CatalogEntry, Organization
from tacnghiep.documents.models.incoming import IncomingDocument, SigningAuthority
from tacnghiep.documents.models.registers import Register


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("In review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved, waiting to be issued")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced")


class Supersession(models.TextChoices):
    """NĐ 30 and edXML Bussiness codes 2 (update) and 3 (replace)."""

    UPDATE = "update", _("Updates")
    REPLACE = "replace", _("Replaces")


class OutgoingDocument(models.Model):
    """An outgoing or internal document, from first draft to issued (văn bản đi)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("issuing organization"), on_delete=models.PROTECT, related_name="+"
    )
    document_type = models.ForeignKey(
        CatalogEntry, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=500)
    urgency = models.ForeignKey(CatalogEntry, verbose_name=_("urgency"), on_delete=models.PROTECT, related_name="+")
    secrecy = models.ForeignKey(CatalogEntry, verbose_name=_("secrecy"), on_delete=models.PROTECT, related_name="+")
    is_secret = models.BooleanField(_("secret"), default=False, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=OutgoingStatus.choices, default="draft")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signing_authority = models.CharField(
        _("signing authority"), max_length=4, choices=SigningAuthority.choices, blank=True
    )
    reply_to = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    supersedes = models.ForeignKey(
        "self", verbose_name=_("supersedes"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supersession = models.CharField(_("kind of change"), max_length=8, choices=Supersession.choices, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The approved text with the signer's digital signature (server key or desktop tool).
    signed_pdf = models.ForeignKey(
        StoredFile, verbose_name=_("signed text"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when issued (numbering happens in the issuing transaction).
    register = models.ForeignKey(
        Register, verbose_name=_("register"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_period = models.CharField(max_length=20, blank=True)
    issued_series = models.CharField(max_length=60, blank=True)
    issued_number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    code_notation = models.CharField(_("number and notation"), max_length=30, blank=True)
    issued_on = models.DateField(_("issued date"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    search_text = models.CharField(max_length=1000, blank=True, editable=False)

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "issued_period", "issued_series", "issued_number"],
                condition=Q(issued_number__isnull=False),
                name="documents_outgoing_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status", "-id"], name="documents_outgoing_org_list"),
            models.Index(fields=["drafted_by", "-id"], name="documents_outgoing_drafter"),
        ]

    def __str__(self) -> str:
        return self.code_notation or self.subject[:60]


class DraftVersion(models.Model):
    """One uploaded text of a draft; versions are numbered and never changed."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("file name"), max_length=200)
    # The PDF shown to reviewers: the upload itself, or LibreOffice's rendering of a .docx.
    pdf = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("what changed"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class ReviewMode(models.TextChoices):
    ALL = "all", _("Every reviewer must approve")
    ANY = "any", _("One approval is enough")


class StepState(models.TextChoices):
    WAITING = "waiting", _("Waiting for earlier steps")
    ACTIVE = "active", _("In review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewStep(models.Model):
    """One step of the review chain of a submission; steps run in ``position`` order.

    A step with several reviewers runs them in parallel: all of them or any one
    must approve (``mode``) before the next step starts. ``round`` counts
    submissions, so the chain of an earlier submission stays as history.
    """

    document = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, related_name="review_steps")
    round = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField()
    mode = models.CharField(_("approval"), max_length=4, choices=ReviewMode.choices, default=ReviewMode.ALL)
    state = models.CharField(_("state"), max_length=10, choices=StepState.choices, default=StepState.WAITING)
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["document", "round", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "round", "position"], name="documents_step_unique")]

    def __str__(self) -> str:
        return f"{self.document_id} r{self.round} #{self.position}"


class ReviewVerdict(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    NOT_NEEDED = "not_needed", _("Not needed")


class ReviewDecision(models.Model):
    """One reviewer's answer within a step."""

    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="decisions")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=ReviewVerdict.choices, default="pending")
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [models.UniqueConstraint(fields=["step", "reviewer"], name="documents_decision_unique")]
        indexes = [models.Index(fields=["reviewer", "verdict"], name="documents_decision_reviewer")]

    def __str__(self) -> str:
        return f"{self.step_id} {self.reviewer_id} {self.verdict}"


class VersionComment(models.Model):
    """A remark on one version of a draft (góp ý)."""

    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class DeliveryState(models.TextChoices):
    NOT_TRACKED = "", _("Sent on paper")
    WAITING = "waiting", _("Waiting for the recipient's clerk")
    REGISTERED = "registered", _("Registered by the recipient")
    REFUSED = "refused", _("Refused by the recipient")
    WITHDRAWN = "withdrawn", _("Withdrawn (revoked)")
    # Organizations outside the system, reached over the exchange bus (status codes of QCVN 102).
    QUEUED = "queued", _("Waiting to be sent over the exchange")
    SENT = "sent", _("Sent over the exchange")
    ARRIVED = "arrived", _("Arrived at the recipient's system (01)")
    ASSIGNED = "assigned", _("Assigned for handling by the recipient (04)")
    PROCESSING = "processing", _("Being handled by the recipient (05)")
    DONE = "done", _("Handled by the recipient (06)")
    FAILED = "failed", _("Could not be sent over the exchange")


class Recipient(models.Model):
    """A place an issued document goes to (nơi nhận).

    An organization in this directory receives it electronically: it waits in
    the list of its clerks until one registers it as incoming. An organization
    outside the system (``is_external``) is reached over the exchange bus, and
    its system's status packages move ``state`` (sent, 01 … 06). A free-text
    place (``place``) is only recorded.
    """

    document = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, related_name="recipients")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    for_information = models.BooleanField(_("for information"), default=False)
    state = models.CharField(_("delivery"), max_length=10, choices=DeliveryState.choices, blank=True)
    incoming = models.ForeignKey(
        IncomingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["document", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(place="")) | (Q(organization__isnull=True) & ~Q(place="")),
                name="documents_recipient_one_target",
            ),
            models.UniqueConstraint(
                fields=["document", "organization"],
                condition=Q(organization__isnull=False),
                name="documents_recipient_once",
            ),
        ]
        indexes = [models.Index(fields=["organization", "state"], name="documents_recipient_waiting")]

    def __str__(self) -> str:
        return self.place or str(self.organization)

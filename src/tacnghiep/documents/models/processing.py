from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tacnghiep.directory.models import Organization
from tacnghiep.documents.models.incoming import IncomingDocument


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COORDINATE = "coordinate", _("Coordinate")
    INFORMATION = "information", _("For information")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("To do")
    COMPLETED = "completed", _("Completed")
    RETURNED = "returned", _("Returned")
    DELEGATED = "delegated", _("Assigned within the unit")


class Assignment(models.Model):
    """Who handles an incoming document, in which role, by when (phân công xử lý).

    Exactly one of ``person`` and ``organization`` is set: a leader may assign
    a unit, whose own leader then assigns inside it (``parent``).
    """

    document = models.ForeignKey(
        IncomingDocument, verbose_name=_("document"), on_delete=models.PROTECT, related_name="assignments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("assigned within"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AssignmentStatus.choices, default="pending")
    result = models.TextField(_("result"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["document", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="documents_assignment_one_assignee",
            )
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="documents_assignment_person"),
            models.Index(fields=["organization", "status"], name="documents_assignment_org"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.person or self.organization} ({self.role})"


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    DIRECTED = "directed", _("Directed")
    REASSIGNED = "reassigned", _("Assigned within the unit")
    OPINION = "opinion", _("Opinion")
    EXTENSION_REQUESTED = "ext_requested", _("Extension requested")
    EXTENSION_GRANTED = "ext_granted", _("Extension granted")
    EXTENSION_REFUSED = "ext_refused", _("Extension refused")
    RETURNED = "returned", _("Returned")
    COMPLETED = "completed", _("Completed")
    FORWARDED = "forwarded", _("Forwarded")
    FILES_ADDED = "files_added", _("Files added")
    SECRET_GRANTED = "secret_granted", _("Permission to read granted")
    DRAFTED = "drafted", _("Draft created")
    VERSION_ADDED = "version_added", _("New version")
    SUBMITTED = "submitted", _("Submitted for review")
    REVIEW_APPROVED = "review_approved", _("Approved in review")
    REVIEW_RETURNED = "review_returned", _("Returned in review")
    APPROVED = "approved", _("Approved for issue")
    SIGNED = "signed", _("Signed digitally")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Updated or replaced")
    DELIVERY_REGISTERED = "delivery_registered", _("Registered by a recipient")
    DELIVERY_REFUSED = "delivery_refused", _("Refused by a recipient")
    REMOTE_STATUS = "remote_status", _("Status from a recipient's system")
    WITHDRAWN = "withdrawn", _("Withdrawn by its issuer")


class DocumentEvent(models.Model):
    """One step in a document's history (incoming or outgoing), shown on the document."""

    document = models.ForeignKey(
        IncomingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=20, choices=EventKind.choices)
    # No actor: the step came from another system over the exchange bus.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(document__isnull=False) & Q(outgoing__isnull=True))
                | (Q(document__isnull=True) & Q(outgoing__isnull=False)),
                name="documents_event_one_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind}"


class ExtensionDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class DeadlineExtension(models.Model):
    """An assignee asks for more time; the leader who directed the document decides."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="extensions")
    requested_due_on = models.DateField(_("requested deadline"))
    reason = models.CharField(_("reason"), max_length=1000)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ExtensionDecision.choices, default=ExtensionDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(decision="pending"), name="documents_one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.requested_due_on}"

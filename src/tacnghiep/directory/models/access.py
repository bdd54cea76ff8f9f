from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tacnghiep.directory.models.organizations import Organization
from tacnghiep.directory.models.people import Person


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    CLERK = "clerk", _("Clerk")
    LEADER = "leader", _("Leader")
    SPECIALIST = "specialist", _("Specialist")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.UNIT_ADMIN})


class RoleGrant(models.Model):
    """``person`` holds ``role`` for ``organization`` and its subtree, between two dates."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="role_grants")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        indexes = [models.Index(fields=["person", "valid_to"], name="directory_rolegrant_person")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role"],
                condition=Q(valid_to__isnull=True),
                name="directory_rolegrant_current_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.organization}"


class Delegation(models.Model):
    """``delegate`` acts for ``delegator`` between two moments (ủy quyền)."""

    delegator = models.ForeignKey(
        Person, verbose_name=_("delegator"), on_delete=models.PROTECT, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        Person, verbose_name=_("delegate"), on_delete=models.PROTECT, related_name="delegations_received"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="directory_delegation_range"),
            models.CheckConstraint(condition=~Q(delegator=models.F("delegate")), name="directory_delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} → {self.delegator}"


class ApiToken(models.Model):
    """A REST API token. Only its SHA-256 is stored; the key is shown once."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Created from a session that passed the second factor; a token of a person who must
    # use one is refused otherwise, so tokens never become a way around it.
    second_factor = models.BooleanField(_("created with second factor"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInSession(models.Model):
    """A signed-in session, so that sign-out everywhere and deactivation can end them all."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sign_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    client_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("sign-in session")
        verbose_name_plural = _("sign-in sessions")

    def __str__(self) -> str:
        return f"{self.person} @ {self.client_address}"

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class OrganizationKind(models.Model):
    """Kind of organization: provincial committee, board, commune committee, …

    ``is_scope_boundary`` marks the kinds whose subtree is one unit for reading
    the directory: people of a commune committee see their own commune, people
    under the provincial committee see the province.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_scope_boundary = models.BooleanField(_("separate unit for access"), default=False)
    sort_order = models.IntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("organization kind")
        verbose_name_plural = _("organization kinds")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """A node of the effective-dated organization tree.

    An organization that ended (``valid_to`` set) stays in the tree so that old
    records keep pointing at it; merges and splits are recorded as
    :class:`Succession` links. ``path`` is the chain of ancestor ids, kept by
    the services, and makes subtree queries one index range scan.
    """

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.ForeignKey(OrganizationKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(
        _("short name"), max_length=50, help_text=_("Used in document notations, e.g. TU, VPTU, BTCTU.")
    )
    code_qcvn102 = models.CharField(_("identifier code (QCVN 102)"), max_length=13, blank=True)
    code_qd20 = models.CharField(_("identifier code (QĐ 20/2020)"), max_length=35, blank=True)
    administrative_unit_code = models.CharField(_("administrative unit code"), max_length=10, blank=True)
    # Another system's organization (another province, a ministry, …): it has no clerks here, and
    # documents addressed to it travel as edXML packages over the exchange bus.
    is_external = models.BooleanField(
        _("outside this system"),
        default=False,
        help_text=_("Documents reach it over the exchange bus (edXML), by its identifier code."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    sort_order = models.IntegerField(_("order"), default=0)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_qcvn102"],
                condition=Q(valid_to__isnull=True) & ~Q(code_qcvn102=""),
                name="directory_org_current_qcvn102_unique",
            ),
            models.UniqueConstraint(
                fields=["code_qd20"],
                condition=Q(valid_to__isnull=True) & ~Q(code_qd20=""),
                name="directory_org_current_qd20_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="directory_org_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["parent", "sort_order", "name"], name="directory_org_children")]

    def __str__(self) -> str:
        return self.name

    def is_current(self, on: datetime.date | None = None) -> bool:
        day = on or datetime.date.today()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merged into")
    SPLIT = "split", _("Split into")
    RENAME = "rename", _("Renamed to")
    TRANSFER = "transfer", _("Functions transferred to")


class Succession(models.Model):
    """``predecessor`` was replaced (wholly or partly) by ``successor`` on ``effective_on``."""

    predecessor = models.ForeignKey(
        Organization, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        Organization, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="predecessions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("effective on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="directory_succession_unique"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="directory_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    @property
    def kind_noun(self) -> str:
        """The event as seen from the successor: "merger", "split", …"""
        return str(SUCCESSION_NOUNS.get(self.kind, self.kind))


SUCCESSION_NOUNS: dict[str, StrOrPromise] = {
    SuccessionKind.MERGE: _("merger"),
    SuccessionKind.SPLIT: _("split"),
    SuccessionKind.RENAME: _("renaming"),
    SuccessionKind.TRANSFER: _("transfer of functions"),
}

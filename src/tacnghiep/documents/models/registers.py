from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tacnghiep.directory.models import Organization


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")
    INTERNAL = "internal", _("Internal")


class PeriodKind(models.TextChoices):
    # NĐ 30/2020: numbers run from 01 on 1 January to 31 December.
    CALENDAR_YEAR = "year", _("Calendar year")
    # HD 36-HD/VPTW: Party documents are numbered within one Party committee term.
    PARTY_TERM = "term", _("Party committee term")


class SecretSeries(models.TextChoices):
    SEPARATE = "separate", _("Secret documents have their own series")  # NĐ 30
    SHARED = "shared", _("Secret documents continue the same series")  # HD 36


class Abbreviations(models.TextChoices):
    # The document-types catalog carries both sets of abbreviations as data.
    PARTY = "party", _("The Party's (HD 36)")
    STATE = "state", _("The state's (NĐ 30)")


class Register(models.Model):
    """A register (sổ văn bản) of one organization, with its numbering scheme as data.

    Every rule that the state or the Party may change — period, series per
    document type, where secret documents go, the notation template — is a
    field an administrator edits, not code.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="registers"
    )
    name = models.CharField(_("name"), max_length=200)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    period_kind = models.CharField(_("numbering period"), max_length=10, choices=PeriodKind.choices)
    term_started_on = models.DateField(
        _("current term started on"),
        null=True,
        blank=True,
        help_text=_("For Party term numbering: the day after the congress closed."),
    )
    per_document_type = models.BooleanField(_("a series per document type"), default=False)
    secret_series = models.CharField(
        _("secret documents"), max_length=10, choices=SecretSeries.choices, default=SecretSeries.SEPARATE
    )
    notation_template = models.CharField(
        _("notation template"),
        max_length=100,
        blank=True,
        help_text=_("For issued documents, e.g. {n}-{type}/{issuer} (Party) or {n}/{type}-{issuer} (state)."),
    )
    number_width = models.PositiveSmallIntegerField(_("minimum digits"), default=2)
    abbreviations = models.CharField(
        _("document type abbreviations"), max_length=6, choices=Abbreviations.choices, default=Abbreviations.PARTY
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["organization", "direction", "name"]

    def __str__(self) -> str:
        return self.name


class RegisterCounter(models.Model):
    """The last number given in one series of one period of a register.

    Rows are locked while a number is taken, inside the transaction that
    records the document, so numbers are consecutive and never repeat.
    """

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="counters")
    period = models.CharField(max_length=20)
    series = models.CharField(max_length=60, blank=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [
            models.UniqueConstraint(fields=["register", "period", "series"], name="documents_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.period} {self.series}: {self.last_number}"

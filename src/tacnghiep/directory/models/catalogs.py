from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Catalog(models.Model):
    """A shared catalog (danh mục dùng chung): positions, ethnic groups, document types, …

    ``version`` rises with every change to the catalog or its entries, so that
    other systems reading the API can tell when to refresh their copy.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("catalog")
        verbose_name_plural = _("catalogs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CatalogEntry(models.Model):
    """One entry. Entries are retired, never deleted, so old records keep their meaning."""

    catalog = models.ForeignKey(Catalog, verbose_name=_("catalog"), on_delete=models.PROTECT, related_name="entries")
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("abbreviation"), max_length=50, blank=True)
    sort_order = models.IntegerField(_("order"), default=0)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    class Meta:
        verbose_name = _("catalog entry")
        verbose_name_plural = _("catalog entries")
        ordering = ["catalog", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["catalog", "code"], name="directory_catalogentry_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tacnghiep.core.models import StoredFile


class ImportStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the worker")
    CHECKING = "checking", _("Checking every row")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Not imported: problems found")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An import started from the pages; the worker runs it and the page follows its progress."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sheet = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    sheet_name = models.CharField(max_length=200)
    files = models.JSONField(default=dict, blank=True)  # name → sha256 of the stored file
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.sheet_name} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status in {ImportStatus.DONE, ImportStatus.REJECTED}:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.status in {ImportStatus.WAITING, ImportStatus.CHECKING, ImportStatus.WRITING}

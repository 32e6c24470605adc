"""An import of listings from a spreadsheet: the rows as read, their validation, the result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import ListingKind


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking the rows")
    INVALID = "invalid", _("Errors to correct")
    READY = "ready", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")


class ImportBatch(models.Model):
    """One uploaded spreadsheet. Its rows are checked in chunks (``validated`` counts them,
    for the progress bar), then imported all together in one transaction, or not at all."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="imports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ListingKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.VALIDATING
    )
    # The data rows as read (cell texts keyed by column), in the order of the file.
    rows = models.JSONField(_("rows"), default=list)
    validated = models.PositiveIntegerField(_("rows checked"), default=0)
    # [{"row": 3, "column": "TRL / 技术成熟度", "message": "..."}], row numbers as in the file.
    errors = models.JSONField(_("errors"), default=list)
    submit_for_review = models.BooleanField(_("submit for review"), default=False)
    created_ids = models.JSONField(_("imported listings"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("bulk:import_detail", args=[self.pk])

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def working(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING)

    @property
    def percent(self) -> int:
        return 100 if not self.rows else min(100, self.validated * 100 // len(self.rows))

"""The rows kept about one listing: its attached files and its status changes."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import ListingStatus
from marketplace.listings.models import (
    ONE_LISTING_CONSTRAINT,
    _attachment_path,
    belongs_to_one_listing,
)


class Attachment(belongs_to_one_listing(related_name="attachments")):
    """A file attached to one achievement or one challenge, public or confidential.

    Files are only ever served through a permission-checked view.
    """

    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    title = models.CharField(_("title"), max_length=200)
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Confidential files are shown only to your organisation, moderators and "
            "organisations that accepted the listing's NDA."
        ),
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    # Detected from the bytes when uploaded (marketplace/uploads/content.py), never taken from
    # the browser; files from before the check have none and are served as octet-stream.
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]
        constraints = [ONE_LISTING_CONSTRAINT]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return os.path.basename(self.file.name)


class ListingEvent(belongs_to_one_listing(related_name="events")):
    """One status change of a listing: who moved it, from what to what, when and why."""

    from_status = models.CharField(_("from"), max_length=10, choices=ListingStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=ListingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the system did it (expiry)."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]
        constraints = [ONE_LISTING_CONSTRAINT]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

"""Saved searches and the alerts they produced."""

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import ListingKind


class SavedSearch(models.Model):
    """A user's named search (a list page's query string), checked against each newly
    published listing of its kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ListingKind.choices)
    query = models.CharField(_("query string"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_unique"),
        ]
        indexes = [
            # Alerts: every saved search of the kind that was just published.
            models.Index(fields=["kind"], name="saved_search_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse(f"search:{self.kind}_list")
        return f"{url}?{self.query}" if self.query else url

    @property
    def params(self) -> QueryDict:
        return QueryDict(self.query)


class SavedSearchAlert(models.Model):
    """One listing that one user was told about; unique, so each user hears of it once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_search_alerts",
    )
    saved_search = models.ForeignKey(
        SavedSearch, verbose_name=_("saved search"), on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ListingKind.choices)
    listing_id = models.PositiveBigIntegerField(_("listing"))
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved-search alert")
        verbose_name_plural = _("saved-search alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "listing_id"], name="saved_search_alert_once_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"listings:{self.kind}_detail", args=[self.listing_id])

"""The pricing routes of an achievement beyond the agreed price (Art. 18): the auction and
its bids. (The route itself is ``Achievement.pricing_route``; a listed price is its asking
price; the notice of an agreed price belongs to the deal, ``deals.PriceNotice``.)"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from marketplace.listings.models import Achievement


class Auction(models.Model):
    """The auction of one achievement: bids from the start price up by at least the
    increment until ``ends_at``; the highest wins. Bids lock this row (SELECT … FOR UPDATE)
    so that two bids at the same step cannot both be accepted."""

    achievement = models.OneToOneField(
        Achievement, verbose_name=_("achievement"), on_delete=models.CASCADE, related_name="auction"
    )
    start_price = models.DecimalField(
        _("start price (yuan)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    increment = models.DecimalField(
        _("minimum increment (yuan)"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )
    ends_at = models.DateTimeField(_("ends at"))
    # Set once by the close (a beat task, or whoever reads it after the end).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    winning_bid = models.ForeignKey(
        "Bid",
        verbose_name=_("winning bid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("auction")
        verbose_name_plural = _("auctions")
        ordering = ["ends_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_price__gte=0), name="auction_start_ge0"
            ),
            models.CheckConstraint(
                condition=models.Q(increment__gt=0), name="auction_increment_gt0"
            ),
        ]
        indexes = [
            # auctions_close: the open auctions whose end has passed.
            models.Index(
                fields=["ends_at"], condition=models.Q(closed_at__isnull=True), name="auction_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.achievement} ({self.start_price}+{self.increment})"


class Bid(models.Model):
    """One bid of a verified enterprise in an auction."""

    auction = models.ForeignKey(
        Auction, verbose_name=_("auction"), on_delete=models.CASCADE, related_name="bids"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("bidder"), on_delete=models.CASCADE, related_name="bids"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bid by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    created_at = models.DateTimeField(_("bid at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["-amount", "created_at", "pk"]
        constraints = [
            # Each bid beats the last by the increment, so no two bids share an amount.
            models.UniqueConstraint(fields=["auction", "amount"], name="bid_amount_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.amount}"

"""Auctions and bids in Django admin: read-only, written only by ``services``."""

from __future__ import annotations

from django.contrib import admin

from marketplace.deals.admin import ReadOnlyAdmin, ReadOnlyInline
from marketplace.pricing.models import Auction, Bid


class BidInline(ReadOnlyInline):
    model = Bid
    fields = ("amount", "organization", "user", "created_at")


@admin.register(Auction)
class AuctionAdmin(ReadOnlyAdmin):
    list_display = ("achievement", "start_price", "increment", "ends_at", "closed_at")
    list_select_related = ("achievement",)
    inlines = [BidInline]

"""The pricing route's part of an achievement's page: the route, the listed price's terms
or the auction, the running price notices, and for the owner the link to set the route."""

from __future__ import annotations

from django import template

from marketplace.deals.selectors.notices import listing_notices
from marketplace.listings.choices import ListingKind, PricingRoute
from marketplace.pricing import selectors

register = template.Library()


@register.inclusion_tag("pricing/includes/listing_panel.html", takes_context=True)
def listing_pricing_panel(context, listing, access=None) -> dict:
    if listing.kind != ListingKind.ACHIEVEMENT:
        return {"show": False}
    auction = None
    highest = None
    if listing.pricing_route == PricingRoute.AUCTION:
        auction = selectors.auction_of(listing)
        highest = selectors.highest_bid(auction) if auction else None
    return {
        "show": True,
        "listing": listing,
        "can_edit": bool(access and access.can_edit),
        "auction": auction,
        "highest": highest,
        "notices": list(listing_notices(listing).order_by("-ends_at")[:5]),
    }

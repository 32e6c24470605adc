"""The deals room's part of a listing's page: express interest, or where one's interest
stands; for the owner, the interest waiting for an answer. One query at most."""

from __future__ import annotations

from django import template

from marketplace.deals import selectors
from marketplace.deals.choices import InterestStatus
from marketplace.listings.choices import ListingStatus

register = template.Library()


@register.inclusion_tag("deals/includes/listing_panel.html", takes_context=True)
def listing_deal_panel(context, listing, access) -> dict:
    user = context["request"].user
    organization = selectors.organization_of(user)
    panel = {"listing": listing, "request": context["request"], "state": ""}
    if not user.is_authenticated:
        panel["state"] = "visitor"
    elif organization is None:
        panel["state"] = "" if user.is_staff else "no_organization"
    elif access.can_edit:
        panel["state"] = "owner"
        panel["pending"] = selectors.pending_interest_count(listing)
    elif not organization.is_verified:
        panel["state"] = "unverified"
    else:
        interest = selectors.latest_interest(organization, listing)
        panel["interest"] = interest
        if interest is not None and interest.status != InterestStatus.DECLINED:
            panel["state"] = interest.status
            panel["conversation"] = getattr(interest, "conversation", None)
        elif listing.status == ListingStatus.PUBLISHED:
            panel["state"] = "can_express"
    return panel

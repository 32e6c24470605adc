"""The deals room's part of a listing's page: express interest, or where one's interest
stands; for the owner, the interest waiting for an answer. What it offers is
``selectors.interest_options``, the rule the service applies. One query at most."""

from __future__ import annotations

from django import template

from marketplace.deals import selectors

register = template.Library()

# The panel says nothing to moderators without an organisation, nor about a listing no one
# can express interest in any more (unless one's interest in it is still open).
_SILENT = frozenset({selectors.MODERATOR, "unpublished"})


@register.inclusion_tag("deals/includes/listing_panel.html", takes_context=True)
def listing_deal_panel(context, listing, access=None) -> dict:
    """``access`` (what the listing page decided) is not needed: the options say it all."""
    request = context["request"]
    options = selectors.interest_options(request.user, listing)
    panel = {
        "listing": listing,
        "request": request,
        "state": "" if options.state in _SILENT else options.state,
        "options": options,
        "interest": options.interest,
    }
    if options.state == "owner":
        panel["pending"] = selectors.pending_interest_count(listing)
    elif options.open_interest is not None:
        panel["conversation"] = getattr(options.open_interest, "conversation", None)
    return panel

"""What matching does when the outbox announces an event (registered in ``apps.ready``).

The outbox runs this in its dispatch task after the publication committed, inside a
transaction, and again should the first run fail: ``listing_match`` is idempotent.
"""

from marketplace.matching.services import listing_match
from marketplace.outbox.handlers import register


@register("listing.published")
def match_published_listing(payload: dict) -> None:
    listing_match(kind=payload["kind"], listing_id=payload["id"])

"""What matching does when the outbox announces an event (registered in ``apps.ready``).

The outbox runs this in its dispatch task after the publication committed, inside a
transaction, and again should the first run fail: ``listing_match`` is idempotent.
"""

from marketplace.listings.indexing import EMBEDDED
from marketplace.matching.services import listing_match
from marketplace.outbox.handlers import register


@register("listing.published")
def match_published_listing(payload: dict) -> None:
    listing_match(kind=payload["kind"], listing_id=payload["id"])


@register(EMBEDDED)
def match_embedded_listing(payload: dict) -> None:
    """A published listing got its (new) embedding: its vector neighbours may be new
    counterparts, and its scores change."""
    listing_match(kind=payload["kind"], listing_id=payload["id"])

"""What listings do when the outbox announces an event (registered in ``apps.ready``)."""

from marketplace.listings.indexing import TEXT_CHANGED, listing_embed
from marketplace.outbox.handlers import register


@register(TEXT_CHANGED, background=True)
def embed_listing(payload: dict) -> None:
    listing_embed(kind=payload["kind"], listing_id=payload["id"])

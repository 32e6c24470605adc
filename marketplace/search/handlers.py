"""What search does when the outbox announces an event (registered in ``apps.ready``)."""

from marketplace.outbox.handlers import register
from marketplace.search.services import saved_search_alerts_send


@register("listing.published")
def alert_saved_searches(payload: dict) -> None:
    saved_search_alerts_send(kind=payload["kind"], listing_id=payload["id"])

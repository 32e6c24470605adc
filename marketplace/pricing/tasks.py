"""Periodic work of the pricing routes."""

from celery import shared_task

from marketplace.pricing import services


@shared_task
def auctions_close() -> list[int]:
    """Close the auctions whose end has passed and tell the winners (beat, every 5 min);
    the auction page also closes its own auction when read after the end."""
    return services.auctions_close()

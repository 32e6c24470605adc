"""Periodic work of fresh listings."""

from celery import shared_task

from marketplace.freshness.services import freshness_refresh, stale_listings_notify


@shared_task
def freshness_sweep() -> int:
    """Score the published listings, then tell the owners of the stale ones; run hourly by
    Celery beat, safe to run twice. Returns how many listings' owners were told."""
    freshness_refresh()
    return stale_listings_notify()

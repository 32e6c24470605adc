"""Periodic work of listings."""

from celery import shared_task

from marketplace.listings.services import listings_expire_due, listings_remind_due


@shared_task
def listings_expire() -> int:
    """Expire what is due; run hourly by Celery beat, safe to run any number of times."""
    return listings_expire_due()


@shared_task
def listings_remind() -> int:
    """Remind owners of listings expiring within 14 days; run daily by Celery beat."""
    return listings_remind_due()

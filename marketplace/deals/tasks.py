"""Periodic work of the deals room."""

from celery import shared_task

from marketplace.deals.services.feedback import interests_chase as chase


@shared_task
def interests_chase() -> list[int]:
    """Remind owners of interests falling due and tell brokers of overdue ones; hourly by
    Celery beat, safe to run any number of times."""
    return list(chase())

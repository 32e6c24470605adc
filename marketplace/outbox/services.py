"""Recording events and running their handlers."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from marketplace.celery import enqueue_after_commit
from marketplace.outbox.handlers import handlers_for
from marketplace.outbox.models import Event

logger = logging.getLogger(__name__)

# How long one worker keeps an event to itself before another may try it.
CLAIM_SECONDS = 300


def event_record(*, kind: str, payload: dict) -> Event:
    """Record an event in the current transaction; it is dispatched once that commits."""
    from marketplace.outbox.tasks import event_dispatch  # tasks import this module

    event = Event.objects.create(kind=kind, payload=payload)
    # A broker outage must not fail the change that committed: the relay dispatches it later.
    enqueue_after_commit(event_dispatch, (event.pk,))
    return event


def event_handle(*, event_id: int) -> bool:
    """Claim the event, run every handler of its kind, mark it handled.

    Returns False when there was nothing to do (handled already, or claimed by another
    worker). A failing handler leaves the event unhandled for a retry and re-raises.
    """
    now = timezone.now()
    claimed = (
        Event.objects.filter(pk=event_id, handled_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    event = Event.objects.get(pk=event_id)
    try:
        for handler in handlers_for(event.kind):
            with transaction.atomic():
                handler(event.payload)
    except Exception as exc:
        Event.objects.filter(pk=event_id).update(claimed_until=None, last_error=repr(exc)[:2000])
        logger.exception("Handling event %s (%s) failed", event_id, event.kind)
        raise
    Event.objects.filter(pk=event_id).update(handled_at=timezone.now(), last_error="")
    return True


def events_pending(*, older_than_seconds: int = 60, limit: int = 500) -> list[int]:
    """Unhandled, unclaimed events old enough that their first dispatch must have failed."""
    now = timezone.now()
    return list(
        Event.objects.filter(
            handled_at__isnull=True,
            created_at__lt=now - timedelta(seconds=older_than_seconds),
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )

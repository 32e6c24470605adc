"""Durable-work tasks: the one relay for every kind, and dispatching events.

Tasks take ids and are safe to run twice: each try claims its row (``services.work_claim``).
The relay runs every minute on beat (``CELERY_BEAT_SCHEDULE["relay"]``): for each kind
registered in ``kinds`` it marks failed the rows whose last attempt's worker died and queues
the rows that are due. ``retry_later`` is what every durable task does after a failed try
that may be retried: with a broker, Celery runs the task again when the row's hold ends;
in-process, the in-process relay does (``in_process``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from celery import shared_task
from django.conf import settings

from marketplace.outbox import services
from marketplace.outbox.in_process import InProcessRelay
from marketplace.outbox.kinds import registered

logger = logging.getLogger(__name__)

# A hung handler is killed before its claim runs out, so no second worker starts on the
# event while the first might still be running its handlers.
DISPATCH_TIME_LIMIT = settings.OUTBOX_CLAIM_SECONDS - 15


@shared_task(acks_late=True)
def relay(kinds: list[str] | None = None) -> int:
    """Fail the abandoned and queue the due rows of every kind of durable work, or of the
    kinds named (``["event"]``); returns how many were queued."""
    known = registered()
    if kinds is not None:
        unknown = set(kinds) - {kind.name for kind, _ in known}
        if unknown:
            raise ValueError(f"Not a registered kind of durable work: {sorted(unknown)}")
        known = [(kind, task) for kind, task in known if kind.name in kinds]
    queued = 0
    for kind, task in known:
        services.work_abandoned_fail(kind=kind)
        for pk in services.work_due(kind=kind):
            task.delay(pk)
            queued += 1
    return queued


def _next_due() -> datetime | None:
    due = [services.work_next_due(kind=kind) for kind, _ in registered()]
    return min((d for d in due if d is not None), default=None)


in_process_relay = InProcessRelay(relay=lambda: relay(), next_due=_next_due)


def wake_for_pending() -> None:
    """In-process (no broker): have the relay run when pending work is due, so that work left
    over by a stopped process or a command (``seed_demo``'s embeddings) is done by the web
    process after it starts. Called once per process by ``marketplace.wsgi``."""
    from celery import current_app
    from django.utils import timezone

    if not current_app.conf.task_always_eager:
        return  # workers and beat do it
    try:
        due = _next_due()
    except Exception:  # the database is away: the next failed try wakes it
        logger.exception("Could not ask what durable work is pending")
        return
    if due is not None:
        in_process_relay.wake(after=(due - timezone.now()).total_seconds())


def retry_later(task: Any, *, countdown: float, exc: BaseException) -> str:
    """After a failed try that may be retried in ``countdown`` seconds: have Celery run
    ``task`` again then (raises Celery's ``Retry``). In-process there is no broker to hold
    the message: the in-process relay runs it when due, and this returns ``"held"``."""
    if task.request.is_eager:
        in_process_relay.wake(after=countdown)
        return "held"
    raise task.retry(countdown=countdown, exc=exc)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # The real bound is the event's own attempt count, kept in the database across
    # retries, relays and workers; this one only stops a runaway chain of messages.
    max_retries=settings.OUTBOX_MAX_ATTEMPTS,
    time_limit=DISPATCH_TIME_LIMIT,
    soft_time_limit=DISPATCH_TIME_LIMIT - 10,
)
def event_dispatch(self, event_id: int) -> None:
    try:
        services.event_handle(event_id=event_id)
    except Exception as exc:
        # Recorded (and logged) by the service; retried when the event's hold ends, unless
        # that was its last attempt.
        countdown = services.work_retry_in(kind=services.EVENTS, pk=event_id)
        if countdown is not None:
            retry_later(self, countdown=countdown, exc=exc)

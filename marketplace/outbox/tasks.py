"""Dispatching events: right after commit, and again by the periodic relay."""

from celery import shared_task

from marketplace.outbox.services import event_handle, events_pending


@shared_task(bind=True, max_retries=5, retry_backoff=True)
def event_dispatch(self, event_id: int) -> None:
    try:
        event_handle(event_id=event_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=min(2**self.request.retries * 10, 600)) from exc


@shared_task
def events_relay() -> int:
    """Re-dispatch events whose dispatch was lost (broker down, worker killed)."""
    pending = events_pending()
    for event_id in pending:
        event_dispatch.delay(event_id)
    return len(pending)

"""The webhook delivery task: takes an id, safe to run twice (the service claims the row)."""

from celery import shared_task
from django.conf import settings

from marketplace.outbox.tasks import retry_later
from marketplace.webhooks import services

# A hung request is killed before its claim runs out, so no second worker sends it meanwhile.
SEND_TIME_LIMIT = settings.WEBHOOKS_CLAIM_SECONDS - 15


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # The real bound is the delivery's own attempt count, kept in the database.
    max_retries=settings.WEBHOOKS_MAX_ATTEMPTS,
    time_limit=SEND_TIME_LIMIT,
    soft_time_limit=SEND_TIME_LIMIT - 10,
)
def webhook_deliver(self, delivery_id: int) -> str:
    try:
        return services.webhook_deliver(delivery_id=delivery_id)
    except services.WebhookRetry as retry:
        # In-process this returns "held": the in-process relay sends it when due.
        return retry_later(self, countdown=retry.countdown, exc=retry)

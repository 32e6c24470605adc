"""Delivery and digest tasks. They take ids (or plain JSON) and are safe to run twice.

``acks_late`` and ``reject_on_worker_lost``: a message is acknowledged only when its task
has finished, so a worker killed mid-task leaves it to be delivered again; the delivery's
claim (see ``services.delivery``) keeps that second run from sending what the first one
sent. Deliveries whose message was lost are queued again by the outbox's one relay
(``outbox.tasks.relay``), with which ``apps.py`` registers ``delivery_send``.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from marketplace.notifications import services
from marketplace.notifications.choices import Frequency
from marketplace.outbox.tasks import retry_later

# A hung send is killed before its claim runs out, so no second worker can start on it
# while the first might still be talking to the mail server.
SEND_TIME_LIMIT = settings.NOTIFY_CLAIM_SECONDS - 15


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # The real bound is the delivery's own attempt count, kept in the database across
    # retries, relays and workers; this one only stops a runaway chain of messages.
    max_retries=settings.NOTIFY_MAX_ATTEMPTS,
    time_limit=SEND_TIME_LIMIT,
    soft_time_limit=SEND_TIME_LIMIT - 10,
)
def delivery_send(self, delivery_id: int) -> str:
    try:
        return services.delivery_send(delivery_id=delivery_id)
    except services.DeliveryRetry as retry:
        # In-process this returns "held": the in-process relay sends it when due.
        return retry_later(self, countdown=retry.countdown, exc=retry)


@shared_task(acks_late=True)
def digests_daily() -> int:
    return services.digests_send(frequency=Frequency.DAILY)


@shared_task(acks_late=True)
def digests_weekly() -> int:
    return services.digests_send(frequency=Frequency.WEEKLY)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_deliver(to: str, subject: str, body: str) -> None:
    """Send an email that is never stored (a password-reset link); retried on network errors."""
    send_mail(subject, body, None, [to])

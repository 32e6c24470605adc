"""Delivery tasks. They take ids (or plain JSON) and are safe to run twice.

``acks_late`` and ``reject_on_worker_lost``: a message is acknowledged only when its task
has finished, so a worker killed mid-task leaves it to be delivered again; the delivery's
claim (see services) keeps that second run from sending what the first one sent.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from marketplace.notifications import services
from marketplace.notifications.choices import Frequency

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
        if self.request.is_eager:
            # In-process there is no broker to hold a delayed retry: the relay sends it.
            return "held"
        raise self.retry(countdown=retry.countdown, exc=retry) from retry


@shared_task(acks_late=True)
def deliveries_relay() -> int:
    """Queue again the deliveries whose message was lost; run every minute by beat."""
    services.deliveries_abandoned_fail()
    due = services.deliveries_due()
    for delivery_id in due:
        delivery_send.delay(delivery_id)
    return len(due)


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

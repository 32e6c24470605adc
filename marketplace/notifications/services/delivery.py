"""Sending deliveries (emails), exactly once where we can.

Sending one (``delivery_send``) claims the row with a conditional update: it must be pending
and unclaimed (or its claim ran out). A duplicate message, a retry racing the relay or a
second worker therefore finds nothing to do. One gap is left, at the mail server: a worker
that hands the email over and dies before its ``UPDATE … status='sent'`` commits leaves a
pending row whose claim runs out, and the relay sends it again. The update follows the send
directly, on its own, so the window is the length of one UPDATE; and the resent email
carries the same Message-ID (``_message_id``: from the row's key and id only), which lets
mail systems recognise the duplicate.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from marketplace.celery import enqueue_after_commit
from marketplace.notifications.choices import DeliveryStatus
from marketplace.notifications.models import Delivery

logger = logging.getLogger(__name__)

# The relay leaves a fresh delivery to the message queued at commit for this long.
RELAY_AFTER_SECONDS = 60
RETRY_BACKOFF_MAX_SECONDS = 3600


class DeliveryRetry(Exception):
    """Sending failed and may be tried again in ``countdown`` seconds."""

    def __init__(self, *, countdown: float, error: str) -> None:
        super().__init__(error)
        self.countdown = countdown


def _message_id(delivery: Delivery) -> str:
    """The same Message-ID each time this delivery is sent, so a resend is recognisable."""
    # From the row's identity only (never from fields that change as it is retried).
    seed = f"{delivery.key}|{delivery.pk}".encode()
    domain = urlsplit(settings.SITE_URL).hostname or "keqiao.local"
    return f"<{hashlib.sha256(seed).hexdigest()[:40]}@{domain}>"


def deliveries_queue(deliveries: Iterable[Delivery]) -> None:
    """Queue the sending of these deliveries once the current transaction commits."""
    from marketplace.notifications.tasks import delivery_send  # tasks import this module

    enqueue_after_commit(delivery_send, *[(d.pk,) for d in deliveries])


def retry_delay(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed try: 30, 60, 120… at most an hour."""
    base = settings.NOTIFY_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), RETRY_BACKOFF_MAX_SECONDS)


def _claimable(now: datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def delivery_send(*, delivery_id: int) -> str:
    """Claim a pending delivery, send it, mark it sent.

    Returns ``"sent"``; ``"skipped"`` when there is nothing to do (sent or failed already,
    or another worker holds it); ``"failed"`` when this was the last attempt. Raises
    ``DeliveryRetry`` when the send failed and another attempt is due later; the row is
    held until then so that the relay does not try it sooner.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.NOTIFY_CLAIM_SECONDS)
    claimed = (
        Delivery.objects.filter(_claimable(now), pk=delivery_id)
        .filter(attempts__lt=settings.NOTIFY_MAX_ATTEMPTS)
        .update(claimed_until=lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        EmailMessage(
            subject=delivery.subject,
            body=delivery.body,
            to=[delivery.to],
            headers={"Message-ID": _message_id(delivery)},
        ).send()
    except Exception as exc:
        return _delivery_failed(delivery, lease=lease, exc=exc)
    # Straight after the send and on its own: this is the at-least-once window.
    Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return "sent"


def _delivery_failed(delivery: Delivery, *, lease: datetime, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    # Only while the claim is still ours: a worker that ran past it has lost the row.
    ours = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, claimed_until=lease
    )
    if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        ours.update(status=DeliveryStatus.FAILED, claimed_until=None, last_error=error)
        logger.error(
            "Delivery %s failed for good after %d attempts: %s",
            delivery.key,
            delivery.attempts,
            error,
        )
        return "failed"
    countdown = retry_delay(delivery.attempts)
    ours.update(claimed_until=timezone.now() + timedelta(seconds=countdown), last_error=error)
    logger.warning(
        "Delivery %s attempt %d failed, retrying in %ss: %s",
        delivery.key,
        delivery.attempts,
        countdown,
        error,
    )
    raise DeliveryRetry(countdown=countdown, error=error) from exc


def deliveries_due(
    *, older_than_seconds: int = RELAY_AFTER_SECONDS, limit: int = 1000
) -> list[int]:
    """Pending, unclaimed deliveries old enough that their first message must be lost
    (broker down at commit, worker killed, retry message lost)."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(_claimable(now))
        .filter(
            attempts__lt=settings.NOTIFY_MAX_ATTEMPTS,
            created_at__lt=now - timedelta(seconds=older_than_seconds),
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_abandoned_fail() -> int:
    """Mark failed the deliveries whose last attempt's worker died before finishing."""
    now = timezone.now()
    return (
        Delivery.objects.filter(_claimable(now))
        .filter(attempts__gte=settings.NOTIFY_MAX_ATTEMPTS)
        .update(
            status=DeliveryStatus.FAILED,
            claimed_until=None,
            last_error="The worker of the last attempt stopped before it finished.",
        )
    )


def deliveries_resend(*, delivery_ids: Iterable[int]) -> int:
    """Send failed deliveries again with a fresh set of attempts; returns how many.

    Deliveries that are not failed (pending, sent) are left alone.
    """
    with transaction.atomic():
        failed = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=list(delivery_ids), status=DeliveryStatus.FAILED)
            .order_by("pk")
        )
        Delivery.objects.filter(pk__in=[d.pk for d in failed]).update(
            status=DeliveryStatus.PENDING, attempts=0, claimed_until=None
        )
        deliveries_queue(failed)
    return len(failed)

"""Sending deliveries (emails), exactly once where we can.

A delivery is durable work of the outbox (``DELIVERIES``): it is claimed, retried with
backoff, given up into ``failed`` and re-sent from admin by the outbox's shared functions
(``outbox.services.work_*``), under the ``NOTIFY_*`` settings; the outbox's one relay queues
the deliveries whose message was lost or whose retry is due.

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
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage

from marketplace.notifications.models import Delivery
from marketplace.outbox.kinds import WorkKind
from marketplace.outbox.services import (
    WorkRetry,
    error_text,
    work_abandoned_fail,
    work_claim,
    work_done,
    work_due,
    work_enqueue,
    work_failed,
    work_resend,
    work_retry_delay,
)

DELIVERIES = WorkKind(
    name="delivery",
    model=Delivery,
    max_attempts_setting="NOTIFY_MAX_ATTEMPTS",
    backoff_setting="NOTIFY_RETRY_BACKOFF_SECONDS",
    claim_setting="NOTIFY_CLAIM_SECONDS",
)


class DeliveryRetry(WorkRetry):
    """Sending failed and may be tried again in ``countdown`` seconds."""


def _message_id(delivery: Delivery) -> str:
    """The same Message-ID each time this delivery is sent, so a resend is recognisable."""
    # From the row's identity only (never from fields that change as it is retried).
    seed = f"{delivery.key}|{delivery.pk}".encode()
    domain = urlsplit(settings.SITE_URL).hostname or "keqiao.local"
    return f"<{hashlib.sha256(seed).hexdigest()[:40]}@{domain}>"


def deliveries_queue(deliveries: Iterable[Delivery]) -> None:
    """Queue the sending of these deliveries once the current transaction commits."""
    work_enqueue(kind=DELIVERIES, ids=[d.pk for d in deliveries])


def delivery_send(*, delivery_id: int) -> str:
    """Claim a pending delivery, send it, mark it sent.

    Returns ``"sent"``; ``"skipped"`` when there is nothing to do (sent or failed already,
    or another worker holds it); ``"failed"`` when this was the last attempt. Raises
    ``DeliveryRetry`` when the send failed and another attempt is due later; the row is
    held until then so that the relay does not try it sooner.
    """
    delivery = work_claim(kind=DELIVERIES, pk=delivery_id)
    if delivery is None:
        return "skipped"
    try:
        EmailMessage(
            subject=delivery.subject,
            body=delivery.body,
            to=[delivery.to],
            headers={"Message-ID": _message_id(delivery)},
        ).send()
    except Exception as exc:
        error = error_text(exc)
        countdown = work_failed(kind=DELIVERIES, item=delivery, error=error)
        if countdown is None:
            return "failed"
        raise DeliveryRetry(countdown=countdown, error=error) from exc
    # Straight after the send and on its own: this is the at-least-once window.
    work_done(kind=DELIVERIES, item=delivery)
    return "sent"


def retry_delay(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed try: 30, 60, 120… at most an hour."""
    return work_retry_delay(kind=DELIVERIES, attempts=attempts)


def deliveries_due(*, older_than_seconds: int | None = None, limit: int = 1000) -> list[int]:
    """The deliveries the relay queues again (``work_due``): pending, unclaimed, and either
    old enough that their first message must be lost (broker down at commit, worker killed)
    or tried before and due again."""
    return work_due(kind=DELIVERIES, older_than_seconds=older_than_seconds, limit=limit)


def deliveries_abandoned_fail() -> int:
    """Mark failed the deliveries whose last attempt's worker died before finishing."""
    return work_abandoned_fail(kind=DELIVERIES)


def deliveries_resend(*, delivery_ids: Iterable[int]) -> int:
    """Send failed deliveries again with a fresh set of attempts; returns how many.

    Deliveries that are not failed (pending, sent) are left alone.
    """
    return work_resend(kind=DELIVERIES, ids=delivery_ids)

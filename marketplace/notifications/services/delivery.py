"""Sending deliveries (emails), exactly once where we can.

A delivery is durable work of the outbox (``DELIVERIES``): it is claimed, retried with
backoff, given up into ``failed`` and re-sent from admin by the outbox's shared functions
(``outbox.services.work_*``), under the ``NOTIFY_*`` settings; the outbox's one relay queues
the deliveries whose message was lost or whose retry is due.

Sending one (``delivery_send``) claims the row with a conditional update: it must be pending
and unclaimed (or its claim ran out). A duplicate message, a retry racing the relay or a
second worker therefore finds nothing to do. The same statement takes up to
``NOTIFY_SEND_BATCH - 1`` other due deliveries along (``work_claim_batch``), which are sent
over the same SMTP connection, each marked sent as soon as the server took it; their own
messages then find nothing to do. So a backlog drains at the speed of one connection and
one UPDATE per email instead of a task, a claim, a connection and two durable commits.

One gap is left, at the mail server: a worker
that hands the email over and dies before its ``UPDATE … status='sent'`` commits leaves a
pending row whose claim runs out, and the relay sends it again. The update follows the send
directly, on its own, so the window is the length of one UPDATE; and the resent email
carries the same Message-ID (``_message_id``: from the row's key and id only), which lets
mail systems recognise the duplicate.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from marketplace.notifications.models import Delivery
from marketplace.outbox.kinds import WorkKind
from marketplace.outbox.services import (
    WorkRetry,
    error_text,
    work_abandoned_fail,
    work_claim_batch,
    work_done,
    work_due,
    work_enqueue,
    work_failed,
    work_release,
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


def delivery_send(*, delivery_id: int, batch: int | None = None) -> str:
    """Claim a pending delivery, with up to ``batch - 1`` other due ones
    (``NOTIFY_SEND_BATCH``), send them over one connection to the mail server, mark each
    sent.

    Returns ``"sent"`` when this delivery was sent; ``"skipped"`` when there was nothing to
    do for it (sent or failed already, or another worker holds it: that worker may have
    taken it in its batch); ``"failed"`` when this was its last attempt. Raises
    ``DeliveryRetry`` when an email of the batch failed and may be tried again later (the
    soonest); failed rows are held until then, so the relay does not try them sooner, and
    the retried message claims whatever is due by then.
    """
    size = settings.NOTIFY_SEND_BATCH if batch is None else batch
    claimed = work_claim_batch(kind=DELIVERIES, pk=delivery_id, limit=max(size, 1))
    outcomes = _send_claimed(claimed) if claimed else {}
    retry = [o for o in outcomes.values() if isinstance(o, DeliveryRetry)]
    if retry:
        raise min(retry, key=lambda r: r.countdown)
    outcome = outcomes.get(delivery_id, "skipped")
    return outcome if isinstance(outcome, str) else "skipped"


def _send_claimed(deliveries: list[Delivery]) -> dict[int, str | DeliveryRetry | None]:
    """Send claimed deliveries in order over one SMTP connection; what became of each:
    ``"sent"``, ``"failed"`` (last attempt), a ``DeliveryRetry``, or None (not tried: the
    batch stopped first and the row was given back)."""
    outcomes: dict[int, str | DeliveryRetry | None] = {}
    # Stop taking new emails well before the claim runs out, so that nobody else can start
    # on a row of this batch while this worker might still be sending it.
    deadline = time.monotonic() + DELIVERIES.claim_seconds / 2
    mail = get_connection()
    with _commits_not_waiting_for_disk(enabled=len(deliveries) > 1):
        _send_each(deliveries, mail, outcomes, deadline)
    return outcomes


@contextmanager
def _commits_not_waiting_for_disk(*, enabled: bool) -> Iterator[None]:
    """Within a batch, each "sent" commits without waiting for the WAL to reach the disk
    (``synchronous_commit = off`` for this session, reset afterwards).

    Waiting for the disk (about 4 ms on the development VM) was the largest cost of an
    email. The guarantee against a worker that dies is unchanged: once the UPDATE returns
    it is committed in the server, which writes it out within a fraction of a second. Only
    a crash of PostgreSQL itself in that fraction forgets the last "sent" marks, and those
    emails are then sent again with their same Message-ID, as after a worker dying in the
    at-least-once window.
    """
    if not enabled or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_each(
    deliveries: list[Delivery],
    mail: BaseEmailBackend,
    outcomes: dict[int, str | DeliveryRetry | None],
    deadline: float,
) -> None:
    try:
        for index, delivery in enumerate(deliveries):
            if time.monotonic() > deadline:
                work_release(kind=DELIVERIES, items=deliveries[index:], until=None)
                break
            message = EmailMessage(
                subject=delivery.subject,
                body=delivery.body,
                to=[delivery.to],
                headers={"Message-ID": _message_id(delivery)},
                connection=mail,
            )
            try:
                # Opened once for the batch (a no-op once open); the SMTP backend would
                # otherwise open and close a connection for every message.
                mail.open()
                message.send()
            except Exception as exc:
                error = error_text(exc)
                countdown = work_failed(kind=DELIVERIES, item=delivery, error=error)
                outcomes[delivery.pk] = (
                    DeliveryRetry(countdown=countdown, error=error) if countdown else "failed"
                )
                # The server or the connection is in trouble: the rest wait for this one's
                # retry without losing an attempt, rather than each waiting for a timeout.
                rest = deliveries[index + 1 :]
                hold = timezone.now() + timedelta(seconds=countdown or 0)
                work_release(kind=DELIVERIES, items=rest, until=hold if countdown else None)
                break
            # Straight after the send and on its own: this is the at-least-once window.
            work_done(kind=DELIVERIES, item=delivery)
            outcomes[delivery.pk] = "sent"
    finally:
        mail.close()


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

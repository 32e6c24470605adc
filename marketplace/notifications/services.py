"""Telling people things, and getting the emails out exactly once where we can.

The lowest room of the house: it knows recipients (an address and a language), templates
and links, nothing of listings or deals.

``notify()`` writes, in the caller's transaction, one ``Notification`` per recipient
(rendered in the recipient's language) and, for those who want email about that kind
immediately, one ``Delivery``; the deliveries are queued only after that transaction
commits, so a rolled-back decision tells nobody. Daily and weekly digests are deliveries
that the digest tasks create later, one per user and period.

Sending a delivery (``delivery_send``) claims the row with a conditional update: it must be
pending and unclaimed (or its claim ran out). A duplicate message, a retry racing the relay
or a second worker therefore finds nothing to do. One gap is left, at the mail server: a
worker that hands the email over and dies before its ``UPDATE … status='sent'`` commits
leaves a pending row whose claim runs out, and the relay sends it again. The update follows
the send directly, on its own, so the window is the length of one UPDATE; and the resent
email carries the same Message-ID, which lets mail systems recognise the duplicate.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme

from marketplace.celery import enqueue_after_commit
from marketplace.notifications.choices import DeliveryStatus, Frequency, NotificationKind
from marketplace.notifications.models import Delivery, Notification, Preference
from marketplace.notifications.selectors import frequencies_for, preferences_of

logger = logging.getLogger(__name__)

# The relay leaves a fresh delivery to the message queued at commit for this long.
RELAY_AFTER_SECONDS = 60
RETRY_BACKOFF_MAX_SECONDS = 3600
# A digest lists at most this many notifications and links to the list for the rest.
DIGEST_MAX_ITEMS = 50
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


class DeliveryRetry(Exception):
    """Sending failed and may be tried again in ``countdown`` seconds."""

    def __init__(self, *, countdown: float, error: str) -> None:
        super().__init__(error)
        self.countdown = countdown


# --- Rendering -------------------------------------------------------------------------------


def email_render(*, template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """Render ``emails/<template>_subject.txt`` and ``emails/<template>.txt`` in a language."""
    full_context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", full_context)
        body = render_to_string(f"emails/{template}.txt", full_context)
    return " ".join(subject.split()), body.strip() + "\n"


def _footer(language: str) -> str:
    """The line under each notification email that says where to change how often."""
    with translation.override(language):
        return render_to_string(
            "emails/notification_footer.txt", {"site_url": settings.SITE_URL}
        ).strip()


def is_local_path(link: str) -> bool:
    """A path on this site (``/achievements/3/``), not another site or a scheme."""
    return (
        link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    )


def _message_id(delivery: Delivery) -> str:
    """The same Message-ID each time this delivery is sent, so a resend is recognisable."""
    # From the row's identity only (never from fields that change as it is retried).
    seed = f"{delivery.key}|{delivery.pk}".encode()
    domain = urlsplit(settings.SITE_URL).hostname or "keqiao.local"
    return f"<{hashlib.sha256(seed).hexdigest()[:40]}@{domain}>"


def _queue(deliveries: Iterable[Delivery]) -> None:
    from marketplace.notifications.tasks import delivery_send  # tasks import this module

    enqueue_after_commit(delivery_send, *[(d.pk,) for d in deliveries])


# --- Notifying -------------------------------------------------------------------------------


def notify(
    *,
    users: Iterable,
    kind: str,
    template: str,
    context: dict[str, Any],
    link: str = "",
    key: str = "",
) -> list[Notification]:
    """Tell users about something, each in their own language: the one entry point for
    every notification kind (``choices.NotificationKind``).

    ``template`` names ``emails/<template>_subject.txt`` and ``emails/<template>.txt``;
    ``link`` is the site path the notification points to; ``key`` identifies the event
    (``"match:12"``) so that notifying the same user of the same event again does nothing.
    Call it inside the transaction of the event: nothing leaves before that commits.
    Returns the notifications written (none for users told already or inactive).
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if link and not is_local_path(link):
        raise ValueError(f"A notification links to a path on this site, not {link!r}")
    recipients = list({u.pk: u for u in users if u.is_active}.values())
    if not recipients:
        return []
    with transaction.atomic():
        if key:
            told = set(
                Notification.objects.filter(key=key, recipient__in=recipients).values_list(
                    "recipient_id", flat=True
                )
            )
            recipients = [u for u in recipients if u.pk not in told]
        frequencies = frequencies_for(users=recipients, kind=kind)
        notifications = []
        for user in recipients:
            subject, body = email_render(
                template=template,
                context={**context, "recipient": user},
                language=user.preferred_language,
            )
            notifications.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    key=key,
                    subject=subject[:300],
                    body=body,
                    link=link,
                    frequency=frequencies[user.pk],
                )
            )
        notifications = _insert_once(notifications)
        _deliver_immediately([n for n in notifications if n.frequency == Frequency.IMMEDIATELY])
    return notifications


def _insert_once(notifications: list[Notification]) -> list[Notification]:
    """Insert the notifications, leaving out any whose (recipient, key) a concurrent twin of
    this event inserted meanwhile; return the ones inserted."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(notifications)
    except IntegrityError:
        if not notifications[0].key:
            raise  # without a key nothing can conflict: this is a bug
    inserted = []
    for notification in notifications:
        notification.pk = None
        notification._state.adding = True
        try:
            with transaction.atomic():
                notification.save(force_insert=True)
        except IntegrityError:
            continue
        inserted.append(notification)
    return inserted


def _deliver_immediately(notifications: list[Notification]) -> None:
    """One email per notification, written now and queued after commit."""
    if not notifications:
        return
    footers: dict[str, str] = {}
    deliveries = []
    for n in notifications:
        language = n.recipient.preferred_language
        if language not in footers:
            footers[language] = _footer(language)
        deliveries.append(
            Delivery(
                key=f"notification:{n.pk}",
                recipient=n.recipient,
                to=n.recipient.email,
                subject=n.subject,
                body=f"{n.body}\n-- \n{footers[language]}\n",
            )
        )
    deliveries = Delivery.objects.bulk_create(deliveries)
    for notification, delivery in zip(notifications, deliveries, strict=True):
        notification.delivery = delivery
    Notification.objects.bulk_update(notifications, ["delivery"])
    _queue(deliveries)


def email_send(
    *, to: str, language: str, template: str, context: dict[str, Any], key: str = ""
) -> Delivery:
    """Email an address that may have no account (an invitation), through the same
    reliable deliveries as notifications; queued after the current transaction commits.

    Not for emails that carry a secret such as a password-reset link: those would be
    stored in the database and shown in admin; use ``email_send_secret``.
    """
    subject, body = email_render(template=template, context=context, language=language)
    with transaction.atomic():
        delivery = Delivery.objects.create(
            key=key or f"email:{template}:{uuid.uuid4().hex}",
            to=to,
            subject=subject[:300],
            body=body,
        )
        _queue([delivery])
    return delivery


def email_send_secret(*, to: str, language: str, template: str, context: dict[str, Any]) -> None:
    """Email something that must not be stored (a password-reset link) after commit.

    It never becomes a ``Delivery`` row, so it is not relayed if the broker is down; the
    person who asked can simply ask again.
    """
    from marketplace.notifications.tasks import email_deliver  # tasks import this module

    subject, body = email_render(template=template, context=context, language=language)
    enqueue_after_commit(email_deliver, (to, subject, body))


# --- Reading and preferences -----------------------------------------------------------------


def notification_read(*, notification: Notification) -> None:
    """Mark one notification read (again is a no-op)."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_read_for_link(*, user, link: str) -> int:
    """Mark read the user's notifications that point at ``link`` (the page they just read);
    returns how many were unread."""
    return Notification.objects.filter(recipient=user, link=link, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_read_all(*, user) -> int:
    """Mark all of a user's notifications read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_update(*, user, frequencies: dict[str, str]) -> int:
    """Save how often the user wants email per kind; returns how many kinds changed.

    Notifications still waiting for a digest follow a change to another digest or to off;
    after a change to immediately they still go out in the digest they were waiting for.
    """
    for kind, frequency in frequencies.items():
        if kind not in NotificationKind.values or frequency not in Frequency.values:
            raise ValueError(f"Not a kind and frequency: {kind!r}, {frequency!r}")
    current = preferences_of(user)
    changed = {k: f for k, f in frequencies.items() if current[k] != f}
    with transaction.atomic():
        for kind, frequency in changed.items():
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"frequency": frequency}
            )
            if frequency != Frequency.IMMEDIATELY:
                Notification.objects.filter(
                    recipient=user,
                    kind=kind,
                    delivery__isnull=True,
                    frequency__in=DIGEST_FREQUENCIES,
                ).update(frequency=frequency)
    return len(changed)


# --- Sending ---------------------------------------------------------------------------------


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
        _queue(failed)
    return len(failed)


# --- Digests ---------------------------------------------------------------------------------


def digest_period_start(*, frequency: str, now: datetime) -> datetime:
    """When the latest digest of this frequency became due: today (daily) or this Monday
    (weekly) at ``NOTIFY_DIGEST_HOUR`` local time, or the period before if not yet."""
    local = timezone.localtime(now)
    start = local.replace(hour=settings.NOTIFY_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    step = timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        start -= timedelta(days=start.weekday())
        step = timedelta(days=7)
    if start > local:
        start -= step
    return start


def digests_send(*, frequency: str, now: datetime | None = None) -> int:
    """Create the latest due digest of this frequency for each user who has notifications
    waiting for one; returns how many digests were made.

    A digest lists what was waiting when it became due. Its key
    (``digest:daily:<user>:<date>``) makes running this again in the same period a no-op;
    a notification that arrived (or committed) after its digest was made waits for the next.
    """
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"Not a digest frequency: {frequency!r}")
    start = digest_period_start(frequency=frequency, now=now or timezone.now())
    waiting = Notification.objects.filter(
        frequency=frequency,
        delivery__isnull=True,
        created_at__lt=start,
        recipient__is_active=True,
    )
    user_ids = waiting.order_by().values_list("recipient_id", flat=True).distinct()
    users = get_user_model().objects.filter(pk__in=list(user_ids)).order_by("pk")
    made = 0
    for user in users:
        key = f"digest:{frequency}:{user.pk}:{start.date().isoformat()}"
        if _digest_create(user=user, key=key, frequency=frequency, waiting=waiting):
            made += 1
    return made


def _digest_create(*, user, key: str, frequency: str, waiting) -> Delivery | None:
    with transaction.atomic():
        if Delivery.objects.filter(key=key).exists():
            return None
        notifications = list(waiting.filter(recipient=user).order_by("-created_at", "-id"))
        if not notifications:
            return None
        subject, body = email_render(
            template="digest",
            context={
                "recipient": user,
                "frequency": frequency,
                "notifications": notifications[:DIGEST_MAX_ITEMS],
                "count": len(notifications),
                "more": max(len(notifications) - DIGEST_MAX_ITEMS, 0),
            },
            language=user.preferred_language,
        )
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    key=key, recipient=user, to=user.email, subject=subject[:300], body=body
                )
        except IntegrityError:
            return None  # a concurrent run made this digest
        Notification.objects.filter(
            pk__in=[n.pk for n in notifications], delivery__isnull=True
        ).update(delivery=delivery)
        _queue([delivery])
    return delivery

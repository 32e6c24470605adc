"""Daily and weekly digests: one email per user and period with what waited for it.

Notifications of kinds a user wants in a digest are written without a delivery; the digest
tasks (hourly on beat) make each user's digest once it is due, as one ``Delivery`` that the
outbox sends like any other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.notifications.choices import Frequency
from marketplace.notifications.models import Delivery, Notification
from marketplace.notifications.services.delivery import deliveries_queue
from marketplace.notifications.services.notify import email_render

# A digest lists at most this many notifications and links to the list for the rest.
DIGEST_MAX_ITEMS = 50
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


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
        deliveries_queue([delivery])
    return delivery

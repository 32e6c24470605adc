"""Reads of notifications and preferences."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from marketplace.notifications.choices import Frequency, NotificationKind
from marketplace.notifications.models import Notification, Preference


def notifications_of(user) -> QuerySet[Notification]:
    """A user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_of(user) -> dict[str, str]:
    """Every kind with the user's chosen frequency (``immediately`` unless chosen)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, Frequency.IMMEDIATELY) for kind in NotificationKind.values}


def frequencies_for(*, users: Iterable, kind: str) -> dict[int, str]:
    """Each user's frequency for one kind, by user id, in one query."""
    ids = [u.pk for u in users]
    chosen = dict(
        Preference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "frequency")
    )
    return {pk: chosen.get(pk, Frequency.IMMEDIATELY) for pk in ids}

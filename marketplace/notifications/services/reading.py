"""Marking notifications read."""

from __future__ import annotations

from django.utils import timezone

from marketplace.notifications.models import Notification


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

"""Each user's choice, per kind, of how often to be emailed."""

from __future__ import annotations

from django.db import transaction

from marketplace.notifications.choices import Frequency, NotificationKind
from marketplace.notifications.models import Notification, Preference
from marketplace.notifications.selectors import preferences_of
from marketplace.notifications.services.digests import DIGEST_FREQUENCIES


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

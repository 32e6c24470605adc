"""The feedback duty's chasing: the owners of a listing are reminded of an interest still
unanswered shortly before its answer is due, and the region's brokers (the members of the
verified transfer centres of the listing's region) are told once it is overdue, so that
someone follows it up. Each happens once per interest: the row is claimed with a conditional
UPDATE (``reminded_at`` / ``escalated_at`` still empty), so two runs at once, or a run
retried, tell nobody twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.choices import MembershipStatus, OrganizationKind
from accounts.models import User
from marketplace.deals.choices import InterestStatus
from marketplace.deals.deadlines import remind_from
from marketplace.deals.models import Interest
from marketplace.deals.selectors import members_to_tell
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify


def region_brokers(region: str) -> list[User]:
    """The active members of the region's verified transfer centres."""
    return list(
        User.objects.filter(
            is_active=True,
            membership__status=MembershipStatus.ACTIVE,
            membership__organization__kind=OrganizationKind.TRANSFER_CENTRE,
            membership__organization__is_verified=True,
            membership__organization__region=region,
        )
        .distinct()
        .order_by("pk")
    )


def _claim(interest_id: int, column: str, now: datetime) -> bool:
    """Take the interest's reminder or escalation for this run: True once, for one run."""
    return bool(
        Interest.objects.filter(
            pk=interest_id, status=InterestStatus.PENDING, **{f"{column}__isnull": True}
        ).update(**{column: now})
    )


def interests_chase(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind and escalate what is due; returns (reminded, escalated)."""
    now = now or timezone.now()
    pending = Interest.objects.filter(status=InterestStatus.PENDING, answer_due__isnull=False)
    reminded = escalated = 0
    for interest in pending.filter(reminded_at__isnull=True, answer_due__gt=now).select_related(
        "achievement__organization", "challenge__organization", "sender_organization"
    ):
        if remind_from(interest.answer_due) > now:
            continue
        with transaction.atomic():
            if not _claim(interest.pk, "reminded_at", now):
                continue
            listing = interest.listing
            notify(
                users=members_to_tell(listing.organization),
                kind=NotificationKind.INTEREST,
                link=interest.get_absolute_url(),
                key=f"interest:{interest.pk}:reminder",
                template="interest_reminder",
                context={"interest": interest, "listing": listing},
            )
            reminded += 1
    overdue = pending.filter(escalated_at__isnull=True, answer_due__lte=now).select_related(
        "achievement__organization", "challenge__organization", "sender_organization"
    )
    for interest in overdue:
        with transaction.atomic():
            if not _claim(interest.pk, "escalated_at", now):
                continue
            listing = interest.listing
            context = {"interest": interest, "listing": listing}
            # Brokers are not party to the interest: they follow up from the listing.
            notify(
                users=region_brokers(listing.region),
                kind=NotificationKind.INTEREST,
                link=listing.get_absolute_url(),
                key=f"interest:{interest.pk}:overdue",
                template="interest_overdue_broker",
                context=context,
            )
            notify(
                users=members_to_tell(listing.organization),
                kind=NotificationKind.INTEREST,
                link=interest.get_absolute_url(),
                key=f"interest:{interest.pk}:overdue",
                template="interest_overdue",
                context=context,
            )
            escalated += 1
    return reminded, escalated

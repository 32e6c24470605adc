"""Reads of expressions of interest: an organisation's received and sent lists, its latest
interest in a listing, the pending ones of a listing."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import Organization
from marketplace.deals.choices import InterestStatus
from marketplace.deals.models import Conversation, Interest
from marketplace.listings.kinds import Listing, of_listing


def _interests(queryset: QuerySet[Interest]) -> QuerySet[Interest]:
    return queryset.select_related(
        "achievement__organization",
        "challenge__organization",
        "sender_organization",
        "sender",
        "decided_by",
        "conversation",
    ).order_by("-created_at", "-pk")


def interests_received(organization: Organization) -> QuerySet[Interest]:
    """Interests in the organisation's listings, newest first (``filters.InterestFilterSet``
    narrows them)."""
    return _interests(
        Interest.objects.filter(
            Q(achievement__organization=organization) | Q(challenge__organization=organization)
        )
    )


def interests_sent(organization: Organization) -> QuerySet[Interest]:
    """The organisation's interests in others' listings, newest first."""
    return _interests(Interest.objects.filter(sender_organization=organization))


def status_counts(queryset: QuerySet[Interest]) -> dict[str, int]:
    """How many of these interests are in each status (one query)."""
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def conversation_of_interest(interest: Interest) -> Conversation:
    """The conversation that accepting the interest opened."""
    return Conversation.objects.get(interest=interest)


def latest_interest(organization: Organization, listing: Listing) -> Interest | None:
    """The organisation's latest interest in the listing, with its conversation and NDA."""
    return (
        Interest.objects.filter(sender_organization=organization, **of_listing(listing))
        .select_related("conversation__nda")
        .order_by("-created_at", "-pk")
        .first()
    )


def pending_interest_count(listing: Listing) -> int:
    return Interest.objects.filter(status=InterestStatus.PENDING, **of_listing(listing)).count()

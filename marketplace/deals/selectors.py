"""Reads of the deals room: interests, inboxes, unread counts, contracts, and what a deal
opens of its listing (the access grant registered with listings in ``apps.ready``)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Left
from django.template.loader import render_to_string

from accounts.choices import MembershipStatus
from accounts.models import Organization, User
from accounts.selectors import active_membership
from marketplace.deals.choices import InterestStatus
from marketplace.deals.models import Contract, Conversation, ConversationRead, Interest, Message
from marketplace.listings.access import Level
from marketplace.listings.kinds import Listing, column, of_listing

# Read marks older than anything: a conversation never opened is unread from its start.
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


# --- Who is who -------------------------------------------------------------------------------


def organization_of(user: User) -> Organization | None:
    """The organisation the user acts for (active membership), or None."""
    membership = active_membership(user)
    return membership.organization if membership else None


def members_to_tell(organization: Organization) -> list[User]:
    """The organisation's active members with active accounts, in a stable order."""
    return [
        m.user
        for m in organization.memberships.filter(
            status=MembershipStatus.ACTIVE, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    ]


def interest_side(user: User, interest: Interest) -> str | None:
    """``"owner"`` for the listing's organisation, ``"sender"`` for the interested one."""
    organization = organization_of(user)
    if organization is None:
        return None
    if organization.pk == interest.listing.organization_id:
        return "owner"
    if organization.pk == interest.sender_organization_id:
        return "sender"
    return None


def conversation_side(user: User, conversation: Conversation) -> str | None:
    """``"owner"`` for the listing's organisation, ``"other"`` for the interested one."""
    organization = organization_of(user)
    if organization is None:
        return None
    if organization.pk == conversation.owner_organization_id:
        return "owner"
    if organization.pk == conversation.other_organization_id:
        return "other"
    return None


# --- The ladder ---------------------------------------------------------------------------------


def listing_level(organization: Organization, listing: Listing) -> Level:
    """The access grant of the deals room (one query): an organisation whose interest in the
    listing was accepted reads its full description; once it accepted the listing's NDA in
    that conversation, its confidential details and files too. Closing the deal does not
    take back what was opened: the NDA keeps binding what was read."""
    row = (
        Conversation.objects.filter(
            other_organization=organization, **{f"interest__{column(listing.kind)}": listing.pk}
        )
        .values_list("pk", "nda__pk")
        .first()
    )
    if row is None:
        return Level.TEASER
    return Level.CONFIDENTIAL if row[1] is not None else Level.FULL


# --- Interests ----------------------------------------------------------------------------------


def _interests(queryset: QuerySet[Interest]) -> QuerySet[Interest]:
    return queryset.select_related(
        "achievement__organization",
        "challenge__organization",
        "sender_organization",
        "sender",
        "decided_by",
        "conversation",
    ).order_by("-created_at", "-pk")


def interests_received(organization: Organization, status: str = "") -> QuerySet[Interest]:
    """Interests in the organisation's listings, newest first (all, or of one status)."""
    queryset = Interest.objects.filter(
        Q(achievement__organization=organization) | Q(challenge__organization=organization)
    )
    if status:
        queryset = queryset.filter(status=status)
    return _interests(queryset)


def interests_sent(organization: Organization, status: str = "") -> QuerySet[Interest]:
    """The organisation's interests in others' listings, newest first."""
    queryset = Interest.objects.filter(sender_organization=organization)
    if status:
        queryset = queryset.filter(status=status)
    return _interests(queryset)


def status_counts(queryset: QuerySet[Interest]) -> dict[str, int]:
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def open_interest(organization: Organization, listing: Listing) -> Interest | None:
    """The organisation's pending or accepted interest in the listing, if any."""
    return (
        Interest.objects.filter(
            sender_organization=organization,
            status__in=[InterestStatus.PENDING, InterestStatus.ACCEPTED],
            **of_listing(listing),
        )
        .select_related("conversation")
        .first()
    )


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


# --- Conversations ------------------------------------------------------------------------------


def _of_organization(organization: Organization) -> Q:
    return Q(owner_organization=organization) | Q(other_organization=organization)


def _seen_by(user: User) -> Coalesce:
    """Until when the user has read the outer conversation (the epoch if never)."""
    read_at = ConversationRead.objects.filter(conversation=OuterRef("pk"), user=user).values(
        "read_at"
    )[:1]
    return Coalesce(Subquery(read_at), Value(_NEVER))


def _unread_messages(user: User) -> QuerySet[Message]:
    """Messages of the outer conversation that others wrote after the user's read mark."""
    return Message.objects.filter(
        conversation=OuterRef("pk"), created_at__gt=OuterRef("seen")
    ).exclude(sender=user)


def conversations_of(organization: Organization, user: User) -> QuerySet[Conversation]:
    """The organisation's inbox, newest activity first, each conversation with the user's
    ``unread`` count and the start of its last message (``last_body``): one query per page,
    whatever the number of conversations."""
    unread = (
        _unread_messages(user).order_by().values("conversation").annotate(n=Count("pk")).values("n")
    )
    last_body = (
        Message.objects.filter(conversation=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .annotate(start=Left("body", 160))
        .values("start")[:1]
    )
    return (
        Conversation.objects.filter(_of_organization(organization))
        .alias(seen=_seen_by(user))
        .annotate(unread=Coalesce(Subquery(unread), 0), last_body=Subquery(last_body))
        .select_related(
            "interest__achievement",
            "interest__challenge",
            "owner_organization",
            "other_organization",
            "deal",
        )
        .order_by("-last_message_at", "-pk")
    )


def unread_conversation_count(user: User) -> int:
    """How many of the user's organisation's conversations have messages the user has not
    read (the navbar badge): one query."""
    organization = organization_of(user)
    if organization is None:
        return 0
    return (
        Conversation.objects.filter(_of_organization(organization))
        .alias(seen=_seen_by(user))
        .filter(Exists(_unread_messages(user)))
        .count()
    )


def conversation_messages(conversation: Conversation) -> list[Message]:
    """The conversation's messages in order, with their senders and files (two queries)."""
    return list(
        conversation.messages.select_related("sender", "sender_organization")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def read_mark(conversation: Conversation, user: User) -> datetime | None:
    return (
        ConversationRead.objects.filter(conversation=conversation, user=user)
        .values_list("read_at", flat=True)
        .first()
    )


# --- The NDA ----------------------------------------------------------------------------------


def nda_terms(conversation: Conversation) -> str:
    """The NDA the interested organisation accepts: the listing's own terms, or Keqiao's
    standard terms in the active language."""
    listing = conversation.interest.listing
    if listing.nda_text.strip():
        return listing.nda_text.strip()
    return render_to_string(
        "deals/nda_standard.txt",
        {
            "listing": listing,
            "owner": conversation.owner_organization,
            "recipient": conversation.other_organization,
        },
    ).strip()


def nda_digest(terms: str) -> str:
    """A fingerprint of the terms shown, so that accepting refuses terms that changed since."""
    return hashlib.sha256(terms.encode()).hexdigest()


# --- Contracts ----------------------------------------------------------------------------------


def contracts_of(organization: Organization) -> QuerySet[Contract]:
    """The signed contracts of the organisation's deals (either side), latest signed first."""
    return (
        Contract.objects.filter(
            Q(deal__conversation__owner_organization=organization)
            | Q(deal__conversation__other_organization=organization)
        )
        .select_related(
            "deal__conversation__interest__achievement",
            "deal__conversation__interest__challenge",
            "deal__conversation__owner_organization",
            "deal__conversation__other_organization",
            "recorded_by",
        )
        .order_by("-signed_on", "-pk")
    )

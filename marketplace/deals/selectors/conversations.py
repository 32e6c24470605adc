"""Reads of conversations: the inbox and its unread counts, a conversation's messages and
read mark, the NDA's terms, and the signed contracts of an organisation."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Left
from django.template.loader import render_to_string

from accounts.models import Organization, User
from marketplace.deals.models import Contract, Conversation, ConversationRead, Message
from marketplace.deals.selectors.parties import organization_of

# Read marks older than anything: a conversation never opened is unread from its start.
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


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


def stage_counts(organization: Organization) -> dict[str, int]:
    """How many of the organisation's conversations have their deal at each stage (one
    query)."""
    rows = (
        Conversation.objects.filter(_of_organization(organization))
        .order_by()
        .values("deal__stage")
        .annotate(n=Count("pk"))
    )
    return {row["deal__stage"]: row["n"] for row in rows}


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

"""The ``data`` of each event: what the receiving organisation may already see on the site.

The rooms that announce events (matching, deals) call these with their own objects; this
module only reads attributes, so it imports none of those rooms (they import webhooks).
Nothing confidential goes out: titles and links of published listings, the other
organisation's name, the interest's message and a deal's stage note, all shown to the
receiving organisation on its pages; never full descriptions, attachments or people's
addresses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def listing_ref(listing: Any) -> dict[str, Any]:
    return {
        "kind": listing.kind,
        "id": listing.pk,
        "title": listing.title,
        "url": _absolute(listing.get_absolute_url()),
    }


def match_data(match: Any, *, own: Any, counterpart: Any) -> dict[str, Any]:
    """A match as the organisation of ``own`` (one of its listings) sees it."""
    data = {
        "match": {
            "id": match.pk,
            "score": float(match.score),
            "proposed_by": match.proposed_by,
            "reasons": {"en": match.reasons_en, "zh": match.reasons_zh},
            "url": _absolute(reverse(f"matching:{own.kind}_matches", args=[own.pk])),
        },
        "listing": listing_ref(own),
        "counterpart": {
            **listing_ref(counterpart),
            "organization": counterpart.organization.display_name,
        },
    }
    if getattr(match, "broker_note", ""):
        data["match"]["broker_note"] = match.broker_note
    return data


def interest_data(interest: Any, *, listing: Any, sender: Any) -> dict[str, Any]:
    """An interest in one of the organisation's listings, as its page shows it."""
    return {
        "interest": {
            "id": interest.pk,
            "purpose": interest.purpose,
            "message": interest.message,
            "url": _absolute(interest.get_absolute_url()),
        },
        "listing": listing_ref(listing),
        "sender": {"organization": sender.display_name},
    }


def deal_data(deal: Any, *, event: Any, conversation: Any, by: Any) -> dict[str, Any]:
    """A deal's move, as both organisations of its conversation see it."""
    return {
        "deal": {
            "id": deal.pk,
            "from_stage": event.from_stage,
            "to_stage": event.to_stage,
            "note": event.note,
            "url": _absolute(conversation.get_absolute_url()),
        },
        "listing": listing_ref(conversation.interest.listing),
        "moved_by": {"organization": by.display_name},
    }

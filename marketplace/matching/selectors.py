"""Reads of matching: a listing's matches as its owner sees them."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.listings.models import Achievement, Challenge
from marketplace.matching.models import Match
from marketplace.matching.retrieval import matchable

Listing = Achievement | Challenge


def matches_of_listing(listing: Listing, *, dismissed: bool = False) -> QuerySet[Match]:
    """The listing's matches whose counterpart is still matchable (published, not expired),
    best first; dismissed ones (by the listing's side) only with ``dismissed=True``."""
    if isinstance(listing, Achievement):
        other, other_model = "challenge", Challenge
    else:
        other, other_model = "achievement", Achievement
    own = listing.kind
    return (
        Match.objects.filter(**{own: listing, f"dismissed_by_{own}_owner": dismissed})
        .filter(**{f"{other}__in": matchable(other_model).values("pk")})
        .select_related(f"{other}__organization")
        .order_by("-score", "-pk")
    )

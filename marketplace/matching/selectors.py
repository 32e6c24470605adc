"""Reads of matching: a listing's matches as its owner sees them."""

from __future__ import annotations

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from marketplace.listings.kinds import Listing, counterpart_model
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import Match, MatchFeedback
from marketplace.matching.retrieval import matchable


def _matches_seen_from(listing: Listing) -> QuerySet[Match]:
    """The listing's matches whose counterpart is still matchable (published, not expired):
    a broker's recommendations first (a person chose them, whatever the score), then best
    first; each with ``own_feedback``: the verdict of the listing's organisation (True,
    False or None) and, for a broker's recommendation, the broker and their centre."""
    other_model = counterpart_model(listing)
    other = other_model.kind
    verdict = MatchFeedback.objects.filter(
        match=OuterRef("pk"), organization_id=listing.organization_id
    ).values("relevant")[:1]
    return (
        Match.objects.filter(**{listing.kind: listing})
        .filter(**{f"{other}__in": matchable(other_model).values("pk")})
        .annotate(own_feedback=Subquery(verdict))
        .select_related(f"{other}__organization", "broker__membership__organization")
        .annotate(
            by_broker=Case(When(proposed_by=ProposedBy.BROKER, then=Value(0)), default=Value(1))
        )
        .order_by("by_broker", "-score", "-pk")
    )


def _hidden(listing: Listing) -> Q:
    """Hidden from the listing's side: dismissed by it, or marked not relevant by its
    organisation."""
    rejected = MatchFeedback.objects.filter(
        match=OuterRef("pk"), organization_id=listing.organization_id, relevant=False
    )
    return Q(**{f"dismissed_by_{listing.kind}_owner": True}) | Q(Exists(rejected))


def matches_of_listing(listing: Listing, *, dismissed: bool = False) -> QuerySet[Match]:
    """The matches the listing's owner sees (see ``_matches_seen_from``); with
    ``dismissed=True`` instead those hidden from its side: dismissed, or marked not
    relevant by its organisation."""
    matches = _matches_seen_from(listing)
    return matches.filter(_hidden(listing)) if dismissed else matches.exclude(_hidden(listing))


def match_of_listing(listing: Listing, pk: int) -> Match | None:
    """One match of the listing as its owner sees it, hidden or not (``own_feedback``
    annotated), or None."""
    return _matches_seen_from(listing).filter(pk=pk).first()

"""Reads of the brokers' pages: a region's listings with their counts, what a listing could
be recommended to, and the deals a broker brokered.

Each is a fixed number of statements, however many rows a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from marketplace.brokers.filters import (
    STATUSES,
    RegionListingsFilterSet,
    matches_of_outer,
    status_condition,
    title_or_id,
)
from marketplace.deals.models import Deal
from marketplace.listings.kinds import Listing, counterpart_kind, counterpart_model
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import Match
from marketplace.matching.retrieval import matchable


@dataclass
class RegionListings:
    """A region's published listings of one kind, filtered, with the counts the page shows:
    per kind (under the same field, status and search) and per status (of this kind)."""

    listings: QuerySet
    kind_counts: dict[str, int]
    status_counts: dict[str, int]
    total: int


def region_listings(filterset: RegionListingsFilterSet) -> RegionListings:
    """The published listings of a region (the listing's own region) that a
    ``filters.RegionListingsFilterSet`` lets through, newest first, each with
    ``match_count`` and ``recommended_count``, and the counts of the page: three statements
    for the counts and the rows' query (paginate it)."""
    model, status = filterset.model, filterset.chosen()["status"]
    counts = filterset.qs_except("status").aggregate(
        all=Count("pk"), **{s: Count("pk", filter=status_condition(model, s)) for s in STATUSES}
    )
    total = counts["all"] if not status else counts[status]
    other = RegionListingsFilterSet(
        filterset.data, region=filterset.region, kind=counterpart_kind(filterset.kind)
    )
    other_total = other.qs.order_by().count()

    def count_of(matches: QuerySet) -> Coalesce:
        per_listing = matches.order_by().values(model.kind).annotate(n=Count("pk"))
        return Coalesce(Subquery(per_listing.values("n")), 0, output_field=IntegerField())

    listings = filterset.qs.annotate(
        match_count=count_of(matches_of_outer(model)),
        recommended_count=count_of(matches_of_outer(model).filter(proposed_by=ProposedBy.BROKER)),
    )
    return RegionListings(
        listings=listings,
        kind_counts={filterset.kind: total, other.kind: other_total},
        status_counts={"": counts["all"], **{s: counts[s] for s in STATUSES}},
        total=total,
    )


def recommend_candidates(listing: Listing, *, q: str = "", limit: int = 20) -> list[Listing]:
    """What a broker may recommend the listing to: matchable listings of the other kind, of
    any region, of other organisations. With ``q``, those whose title contains it (or whose
    number it is); without, the listing's own matches, best first. Each with
    ``match_score`` and ``match_proposed_by`` of its pair with the listing (None if none)."""
    model = counterpart_model(listing)
    pair = Match.objects.filter(**{listing.kind: listing, model.kind: OuterRef("pk")})
    candidates = (
        matchable(model)
        .exclude(organization_id=listing.organization_id)
        .select_related("organization")
        .annotate(
            match_score=Subquery(pair.values("score")[:1]),
            match_proposed_by=Subquery(pair.values("proposed_by")[:1]),
        )
    )
    if q.strip():
        candidates = candidates.filter(title_or_id(q)).order_by("-published_at", "-pk")
    else:
        candidates = candidates.filter(Exists(pair)).order_by("-match_score", "-pk")
    return list(candidates[:limit])


def brokered_deals(user: User) -> QuerySet[Deal]:
    """The deals a broker's recommendations led to (``Deal.brokered_by``), latest activity
    first, with both organisations and the listing at hand."""
    return (
        Deal.objects.filter(brokered_by=user)
        .select_related(
            "conversation__owner_organization",
            "conversation__other_organization",
            "conversation__interest__achievement",
            "conversation__interest__challenge",
        )
        .order_by("-conversation__last_message_at", "-pk")
    )

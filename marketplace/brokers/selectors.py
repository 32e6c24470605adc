"""Reads of the brokers' pages: a region's listings with their counts, what a listing could
be recommended to, and the deals a broker brokered.

Each is a fixed number of statements, however many rows a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from marketplace.deals.models import Deal
from marketplace.listings.choices import ListingKind, ListingStatus
from marketplace.listings.facets import facet_key
from marketplace.listings.kinds import Listing, counterpart_model, model_for
from marketplace.listings.models import Achievement, TechnicalField
from marketplace.listings.selectors import listings_public
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import Match
from marketplace.matching.retrieval import matchable

# "Expiring": an achievement's expiry or a challenge's deadline within this many days.
EXPIRING_DAYS = 30
# The statuses the region page filters by (``RegionFilterForm``), each counted.
STATUSES = ("unmatched", "matched", "recommended", "expiring")


def _matches(model: type[Listing]) -> QuerySet[Match]:
    """The matches of the outer listing (for ``Exists`` and counts)."""
    return Match.objects.filter(**{model.kind: OuterRef("pk")})


def _status_condition(model: type[Listing], status: str) -> Q:
    today = timezone.localdate()
    if status == "unmatched":
        return ~Q(Exists(_matches(model)))
    if status == "matched":
        return Q(Exists(_matches(model)))
    if status == "recommended":
        return Q(Exists(_matches(model).filter(proposed_by=ProposedBy.BROKER)))
    if status == "expiring":
        if model is Achievement:
            return Q(expires_at__lt=timezone.now() + timedelta(days=EXPIRING_DAYS))
        return Q(deadline__lte=today + timedelta(days=EXPIRING_DAYS))
    return Q()


def _in_field(field: TechnicalField | None) -> Q:
    """Listings naming the field, or (for a top-level field) one of its sub-fields: the
    search's field facet (a parent's key is stored with each of its sub-fields')."""
    if field is None:
        return Q()
    return Q(facet_keys__overlap=[facet_key("field", field.code)])


def _title_or_id(q: str) -> Q:
    """A title containing the words, or the listing's number (``12`` or ``#12``)."""
    q = q.strip()
    if not q:
        return Q()
    condition = Q(title__icontains=q)
    number = q.removeprefix("#")
    if number.isdigit() and len(number) < 12:
        condition |= Q(pk=int(number))
    return condition


def _in_region(region: str, field: TechnicalField | None, q: str) -> Q:
    return Q(region=region) & _in_field(field) & _title_or_id(q)


def _region_base(model: type[Listing], region: str, field, q: str) -> QuerySet:
    return model.objects.filter(Q(status=ListingStatus.PUBLISHED) & _in_region(region, field, q))


@dataclass
class RegionListings:
    """A region's published listings of one kind, filtered, with the counts the page shows:
    per kind (under the same field, status and search) and per status (of this kind)."""

    listings: QuerySet
    kind_counts: dict[str, int]
    status_counts: dict[str, int]
    total: int


def region_listings(
    region: str,
    *,
    kind: str = ListingKind.CHALLENGE,
    field: TechnicalField | None = None,
    status: str = "",
    q: str = "",
) -> RegionListings:
    """The published listings of a region (the listing's own region), newest first, each
    with ``match_count`` and ``recommended_count``; three statements for the counts and
    the rows' query (paginate it)."""
    model = model_for(kind)
    other = counterpart_model(kind)
    base = _region_base(model, region, field, q)
    counts = base.aggregate(
        all=Count("pk"), **{s: Count("pk", filter=_status_condition(model, s)) for s in STATUSES}
    )
    total = counts["all"] if not status else counts[status]
    other_total = (
        _region_base(other, region, field, q).filter(_status_condition(other, status)).count()
    )

    def count_of(matches: QuerySet) -> Coalesce:
        per_listing = matches.order_by().values(model.kind).annotate(n=Count("pk"))
        return Coalesce(Subquery(per_listing.values("n")), 0, output_field=IntegerField())

    # The public list's rows (organisation, fields), newest first.
    listings = (
        listings_public(model)
        .filter(_in_region(region, field, q) & _status_condition(model, status))
        .annotate(
            match_count=count_of(_matches(model)),
            recommended_count=count_of(_matches(model).filter(proposed_by=ProposedBy.BROKER)),
        )
    )
    return RegionListings(
        listings=listings,
        kind_counts={kind: total, other.kind: other_total},
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
        candidates = candidates.filter(_title_or_id(q)).order_by("-published_at", "-pk")
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

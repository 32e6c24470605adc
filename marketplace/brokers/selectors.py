"""Reads of the brokers' pages: a region's listings with their counts, what a listing could
be recommended to, the deals a broker brokered, and the broker ledger (a broker's queue, a
centre's report by broker).

Each is a fixed number of statements, however many rows a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.choices import MembershipStatus
from accounts.models import Organization, User
from marketplace.brokers.choices import AssignmentStatus
from marketplace.brokers.filters import (
    STATUSES,
    RegionListingsFilterSet,
    matches_of_outer,
    status_condition,
    title_or_id,
)
from marketplace.brokers.models import BrokerAssignment
from marketplace.deals.models import Contract, Deal
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


# --- The broker ledger ------------------------------------------------------------------------


def broker_queue(user: User) -> QuerySet[BrokerAssignment]:
    """The broker's open assignments, earliest due first (so the overdue lead)."""
    return (
        BrokerAssignment.objects.filter(broker=user, status=AssignmentStatus.OPEN)
        .select_related(
            "centre",
            "challenge__organization",
            "interest__achievement",
            "interest__challenge",
            "interest__sender_organization",
        )
        .order_by("due", "pk")
    )


def broker_done(user: User, *, limit: int = 20) -> list[BrokerAssignment]:
    """The broker's latest done assignments, with their response times."""
    return list(
        BrokerAssignment.objects.filter(broker=user, status=AssignmentStatus.DONE)
        .select_related(
            "challenge",
            "interest__achievement",
            "interest__challenge",
            "interest__sender_organization",
        )
        .order_by("-done_at", "-pk")[:limit]
    )


class _Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)`` of an interval: the median response time."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass
class BrokerFigures:
    broker: User
    assigned: int
    open: int
    overdue: int
    done: int
    done_on_time: int
    median_response: timedelta | None
    contracts: int
    value_by_currency: list[tuple[str, Decimal]]

    @property
    def median_days(self) -> float | None:
        """The median response time in days, to a tenth."""
        if self.median_response is None:
            return None
        return round(self.median_response.total_seconds() / 86400, 1)


def centre_report(centre: Organization) -> list[BrokerFigures]:
    """Per broker of the centre (its active members, and anyone it assigned to before):
    assignments, open and overdue ones, done and done by the due date, the median time from
    assignment to done, and the signed contracts of the deals they brokered with their
    value per currency. Three statements, however many brokers."""
    today = timezone.localdate()
    rows = (
        BrokerAssignment.objects.filter(centre=centre)
        .values("broker")
        .annotate(
            assigned=Count("pk"),
            open=Count("pk", filter=Q(status=AssignmentStatus.OPEN)),
            overdue=Count("pk", filter=Q(status=AssignmentStatus.OPEN, due__lt=today)),
            done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
            done_on_time=Count(
                "pk",
                filter=Q(status=AssignmentStatus.DONE, done_at__date__lte=F("due")),
            ),
            median_response=_Median(
                ExpressionWrapper(F("done_at") - F("created_at"), output_field=DurationField()),
                filter=Q(status=AssignmentStatus.DONE),
            ),
        )
        .order_by()
    )
    figures = {row.pop("broker"): row for row in rows}
    members = User.objects.filter(
        Q(membership__organization=centre, membership__status=MembershipStatus.ACTIVE)
        | Q(pk__in=list(figures))
    ).distinct()
    brokers = {u.pk: u for u in members.order_by("full_name", "email")}
    values: dict[int, dict[str, Decimal]] = {}
    counts: dict[int, int] = {}
    for row in (
        Contract.objects.filter(deal__brokered_by__in=list(brokers))
        .values("deal__brokered_by", "currency")
        .annotate(n=Count("pk"), total=Sum("value"))
        .order_by("currency")
    ):
        broker_id = row["deal__brokered_by"]
        counts[broker_id] = counts.get(broker_id, 0) + row["n"]
        values.setdefault(broker_id, {})[row["currency"]] = row["total"]
    empty = {"assigned": 0, "open": 0, "overdue": 0, "done": 0, "done_on_time": 0}
    return [
        BrokerFigures(
            broker=broker,
            **{**empty, "median_response": None, **figures.get(pk, {})},
            contracts=counts.get(pk, 0),
            value_by_currency=sorted(values.get(pk, {}).items()),
        )
        for pk, broker in brokers.items()
    ]

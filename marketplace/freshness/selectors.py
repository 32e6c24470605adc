"""Reads of fresh listings: what the score is computed from, in bulk.

``scored_listings`` reads published listings of one kind with what their score needs, in one
statement (the interest facts as subqueries); the organisations' responsiveness is read once
per organisation (``deals.selectors.organization_responsiveness``), not per listing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Organization
from marketplace.deals.choices import InterestStatus
from marketplace.deals.models import Interest
from marketplace.deals.selectors.feedback import organization_responsiveness
from marketplace.freshness.scoring import FreshnessInputs
from marketplace.listings.choices import ListingKind, ListingStatus
from marketplace.listings.kinds import Listing, ListingModel, column


def with_interest_facts(queryset: QuerySet, *, now: datetime) -> QuerySet:
    """Each listing with ``interest_total``, ``last_answer`` and ``has_overdue``."""
    of_listing = Interest.objects.filter(**{column(queryset.model): OuterRef("pk")}).order_by()
    per_listing = of_listing.values(column(queryset.model))
    return queryset.annotate(
        interest_total=Coalesce(
            Subquery(per_listing.annotate(n=Count("pk")).values("n")),
            0,
            output_field=IntegerField(),
        ),
        last_answer=Subquery(per_listing.annotate(at=Max("decided_at")).values("at")),
        has_overdue=Exists(of_listing.filter(status=InterestStatus.PENDING, answer_due__lt=now)),
    )


def _expires_at(listing: Listing) -> datetime | None:
    return listing.expires_at  # a challenge derives it from its deadline


def scored_listings(
    model: ListingModel, *, now: datetime, ids: list[int] | None = None
) -> Iterator[tuple[Listing, FreshnessInputs]]:
    """The published listings of ``model`` (or those of ``ids``) with their score's inputs."""
    queryset = model.objects.filter(status=ListingStatus.PUBLISHED)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    fields = ["pk", "organization_id", "published_at", "confirmed_at", "freshness"]
    fields.append("expires_at" if model.kind == ListingKind.ACHIEVEMENT else "deadline")
    queryset = with_interest_facts(queryset.only(*fields), now=now).order_by("pk")
    on_time: dict[int, int | None] = {}
    for listing in queryset.iterator(chunk_size=500):
        if listing.organization_id not in on_time:
            organization = Organization(pk=listing.organization_id)  # the filter needs only its id
            on_time[listing.organization_id] = organization_responsiveness(
                organization
            ).on_time_percent
        since = [d for d in (listing.published_at, listing.confirmed_at) if d is not None]
        yield (
            listing,
            FreshnessInputs(
                fresh_since=max(since) if since else None,
                expires_at=_expires_at(listing),
                interests=listing.interest_total,
                last_answer=listing.last_answer,
                overdue=listing.has_overdue,
                on_time_percent=on_time[listing.organization_id],
            ),
        )

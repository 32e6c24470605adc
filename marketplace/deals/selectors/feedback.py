"""What the market says about a listing, and how reliably an organisation answers.

``listing_feedback``: for the owner's market-feedback page: views of the public page,
interests and their answers (on time or not), the decline reasons given, and what the other
side said of the listing's matches. ``organization_responsiveness``: the share of the interests
an organisation received in the last year that it answered, and answered in time, shown on
its public page. A few aggregate statements each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Organization
from marketplace.deals.choices import DeclineReason, InterestStatus
from marketplace.deals.models import Interest
from marketplace.listings.kinds import Listing, column
from marketplace.matching.models import MatchFeedback

_ON_TIME = Q(decided_at__isnull=False) & (
    Q(answer_due__isnull=True) | Q(decided_at__lte=F("answer_due"))
)


@dataclass(frozen=True)
class ListingFeedback:
    views: int
    interests: int
    pending: int
    accepted: int
    declined: int
    answered_on_time: int
    overdue: int
    decline_reasons: list[tuple[str, int]]  # (label, count), most given first
    decline_words: list[str]  # what decliners wrote, latest first
    matches_relevant: int
    matches_not_relevant: int


def listing_feedback(listing: Listing) -> ListingFeedback:
    now = timezone.now()
    interests = Interest.objects.filter(**{column(listing): listing})
    counts = interests.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=InterestStatus.PENDING)),
        accepted=Count("pk", filter=Q(status=InterestStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=InterestStatus.DECLINED)),
        on_time=Count("pk", filter=_ON_TIME),
        overdue=Count("pk", filter=Q(status=InterestStatus.PENDING, answer_due__lt=now)),
    )
    labels = dict(DeclineReason.choices)
    reasons = (
        interests.filter(status=InterestStatus.DECLINED)
        .exclude(decline_code="")
        .values_list("decline_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "decline_code")
    )
    words = list(
        interests.filter(status=InterestStatus.DECLINED)
        .exclude(decline_reason="")
        .order_by("-decided_at")
        .values_list("decline_reason", flat=True)[:10]
    )
    verdicts = (
        MatchFeedback.objects.filter(**{f"match__{column(listing)}": listing})
        .exclude(organization_id=listing.organization_id)
        .aggregate(
            yes=Count("pk", filter=Q(relevant=True)),
            no=Count("pk", filter=Q(relevant=False)),
        )
    )
    return ListingFeedback(
        views=listing.view_count,
        interests=counts["total"],
        pending=counts["pending"],
        accepted=counts["accepted"],
        declined=counts["declined"],
        answered_on_time=counts["on_time"],
        overdue=counts["overdue"],
        decline_reasons=[(str(labels.get(code, code)), n) for code, n in reasons],
        decline_words=words,
        matches_relevant=verdicts["yes"],
        matches_not_relevant=verdicts["no"],
    )


@dataclass(frozen=True)
class Responsiveness:
    received: int
    answered: int
    on_time: int

    @property
    def answered_percent(self) -> int | None:
        return round(100 * self.answered / self.received) if self.received else None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.received) if self.received else None


def organization_responsiveness(organization: Organization, *, days: int = 365) -> Responsiveness:
    """Of the interests the organisation's listings received in the last ``days`` (those
    still within their answering time left out: they may yet be answered in time), how many
    it answered, and how many in time."""
    now = timezone.now()
    received = Interest.objects.filter(
        Q(achievement__organization=organization) | Q(challenge__organization=organization),
        created_at__gte=now - timedelta(days=days),
    ).exclude(status=InterestStatus.PENDING, answer_due__gt=now)
    counts = received.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=~Q(status=InterestStatus.PENDING)),
        on_time=Count("pk", filter=_ON_TIME),
    )
    return Responsiveness(counts["total"], counts["answered"], counts["on_time"])

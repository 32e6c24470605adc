"""Near-duplicate listings: the same organisation posting nearly the same text twice.

Found when a listing is submitted, with pg_trgm's similarity of "title summary" against the
organisation's other listings of the same kind (drafts left out: they are not posted), and
kept on the listing (``near_duplicates``) for the moderation desk. A few listings per
organisation, so no trigram index is needed: one statement over the organisation's rows.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import TextField, Value
from django.db.models.functions import Concat

from marketplace.listings.choices import ListingStatus
from marketplace.listings.kinds import Listing

# How many possible duplicates are kept per listing: the moderator needs the closest few.
MAX_KEPT = 5


def _text() -> Concat:
    return Concat("title", Value(" "), "summary", output_field=TextField())


def near_duplicates(listing: Listing) -> list[dict]:
    """The organisation's other listings of the same kind whose title and summary are at least
    ``DUPLICATE_SIMILARITY`` similar to this one's, closest first (at most ``MAX_KEPT``)."""
    threshold = settings.DUPLICATE_SIMILARITY
    text = f"{listing.title} {listing.summary}"
    rows = (
        type(listing)
        .objects.filter(organization_id=listing.organization_id)
        .exclude(pk=listing.pk)
        .exclude(status=ListingStatus.DRAFT)
        .annotate(similarity=TrigramSimilarity(_text(), Value(text)))
        .filter(similarity__gte=threshold)
        .order_by("-similarity", "-pk")
        .values("pk", "title", "status", "similarity")[:MAX_KEPT]
    )
    return [
        {
            "id": row["pk"],
            "title": row["title"],
            "status": row["status"],
            "similarity": round(float(row["similarity"]), 2),
        }
        for row in rows
    ]

"""Writes of fresh listings: scoring the published listings and telling owners of stale ones.

Both are safe to run any number of times and by two workers at once: scores are recomputed
from the data, and each stale notice is claimed with a conditional UPDATE (``stale_notified_at``
empty or older than the period) before anyone is told, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from marketplace.freshness.scoring import freshness_score
from marketplace.freshness.selectors import scored_listings
from marketplace.listings.choices import ListingStatus
from marketplace.listings.kinds import LISTING_MODELS, Listing, ListingModel
from marketplace.listings.services import owners_to_tell
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify

_BATCH = 500


def freshness_refresh(
    *,
    models: tuple[ListingModel, ...] = LISTING_MODELS,
    ids: list[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Recompute the freshness of published listings (those of ``ids`` only, with one model);
    writes only the scores that changed; returns how many changed."""
    now = now or timezone.now()
    changed = 0
    for model in models:
        batch: list[Listing] = []
        for listing, inputs in scored_listings(model, now=now, ids=ids):
            score = freshness_score(inputs, now=now)
            if score != listing.freshness:
                listing.freshness = score
                batch.append(listing)
            if len(batch) >= _BATCH:
                changed += model.objects.bulk_update(batch, ["freshness"])
                batch = []
        if batch:
            changed += model.objects.bulk_update(batch, ["freshness"])
    return changed


def listing_freshness_refresh(*, listing: Listing) -> None:
    """One listing's score, after its owner confirmed or renewed it."""
    freshness_refresh(models=(type(listing),), ids=[listing.pk])


def _stale(model: ListingModel, now: datetime):
    period = timedelta(days=settings.FRESHNESS_NOTIFY_DAYS)
    return model.objects.filter(
        Q(stale_notified_at__isnull=True) | Q(stale_notified_at__lt=now - period),
        status=ListingStatus.PUBLISHED,
        freshness__lt=settings.FRESHNESS_STALE_BELOW,
    )


def stale_listings_notify(*, now: datetime | None = None) -> int:
    """Tell the owners of each stale published listing, once per ``FRESHNESS_NOTIFY_DAYS``,
    with the listing's page (confirm, renew or archive there); returns how many listings."""
    now = now or timezone.now()
    told = 0
    for model in LISTING_MODELS:
        for pk in list(_stale(model, now).values_list("pk", flat=True)):
            with transaction.atomic():
                # The claim: a second worker (or a confirmation meanwhile) updates nothing.
                if not _stale(model, now).filter(pk=pk).update(stale_notified_at=now):
                    continue
                listing = model.objects.select_related("organization").get(pk=pk)
                notify(
                    users=owners_to_tell(listing),
                    kind=NotificationKind.EXPIRY_REMINDER,
                    link=listing.get_absolute_url(),
                    key=f"{listing.kind}:{listing.pk}:stale:{now.date().isoformat()}",
                    template="listing_stale",
                    context={"listing": listing},
                )
            told += 1
    return told

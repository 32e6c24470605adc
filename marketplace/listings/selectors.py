"""Reads of listings, and the one place that decides who may see what of a listing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import Organization, User
from accounts.selectors import active_membership
from marketplace.listings.choices import ListingStatus
from marketplace.listings.models import Achievement, Attachment, Challenge, TechnicalField

Listing = Achievement | Challenge
ListingModel = type[Achievement] | type[Challenge]


def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("organization").prefetch_related(
        Prefetch("fields", queryset=TechnicalField.objects.select_related("parent"))
    )


def listings_public(model: ListingModel) -> QuerySet:
    """Published listings, newest first, ready for a list page."""
    return _with_related(model.objects.filter(status=ListingStatus.PUBLISHED)).order_by(
        "-published_at", "-pk"
    )


def listings_of_organization(
    model: ListingModel, organization: Organization, status: str | None = None
) -> QuerySet:
    """Every listing of one organisation, whatever its status, most recently changed first."""
    queryset = model.objects.filter(organization=organization)
    if status:
        queryset = queryset.filter(status=status)
    return _with_related(queryset).order_by("-updated_at", "-pk")


def status_counts(model: ListingModel, organization: Organization) -> dict[str, int]:
    rows = (
        model.objects.filter(organization=organization)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def marketplace_counts() -> dict[str, int]:
    """The figures on the home page."""
    return {
        "achievements": Achievement.objects.filter(status=ListingStatus.PUBLISHED).count(),
        "challenges": Challenge.objects.filter(status=ListingStatus.PUBLISHED).count(),
        "organizations": Organization.objects.filter(is_verified=True).count(),
    }


def technical_fields_tree() -> list[TechnicalField]:
    """Top-level fields with their children prefetched, in display order."""
    return list(TechnicalField.objects.filter(parent__isnull=True).prefetch_related("children"))


@dataclass(frozen=True)
class ListingAccess:
    """What one person may do with one listing."""

    can_view: bool
    can_see_full: bool
    can_see_confidential: bool
    can_edit: bool


def listing_access(user: User, listing: Listing) -> ListingAccess:
    """The confidentiality rules of a listing for a user, decided in this one place.

    - the owner organisation's active members see and edit everything;
    - moderators see everything (and edit in admin);
    - a published listing shows its public teaser to everyone, and its full description to
      signed-in members of verified organisations;
    - an unpublished listing is invisible to everyone else.
    """
    membership = active_membership(user)
    is_owner = membership is not None and membership.organization_id == listing.organization_id
    is_moderator = bool(user.is_authenticated and user.is_staff)
    if is_owner or is_moderator:
        return ListingAccess(True, True, True, is_owner)
    if listing.status != ListingStatus.PUBLISHED:
        return ListingAccess(False, False, False, False)
    verified_member = membership is not None and membership.organization.is_verified
    return ListingAccess(True, verified_member, False, False)


def attachments_visible(user: User, listing: Listing) -> list[Attachment]:
    access = listing_access(user, listing)
    if not access.can_view:
        return []
    attachments = list(listing.attachments.all())
    if access.can_see_confidential:
        return attachments
    return [a for a in attachments if not a.is_confidential]

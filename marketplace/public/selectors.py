"""Reads of the public pages: organisations that anyone may look at, and their listings."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organization
from marketplace.listings.choices import ListingStatus
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.listings.selectors import listings_public

PUBLIC_KINDS = {"achievement": Achievement, "challenge": Challenge}


def organizations_public() -> QuerySet:
    """Verified organisations with at least one published listing, by name."""
    published = {"status": ListingStatus.PUBLISHED, "organization": OuterRef("pk")}
    return Organization.objects.filter(is_verified=True).filter(
        Exists(Achievement.objects.filter(**published))
        | Exists(Challenge.objects.filter(**published))
    )


def organization_public_or_404(pk: int) -> Organization:
    """A verified organisation (any other is not public: 404)."""
    return get_object_or_404(Organization, pk=pk, is_verified=True)


def organization_listings(organization: Organization, kind: str) -> QuerySet:
    """The organisation's published listings of one kind, newest first."""
    return listings_public(PUBLIC_KINDS[kind]).filter(organization=organization)


def organization_counts(organization: Organization) -> dict[str, int]:
    return {
        kind: model.objects.filter(
            organization=organization, status=ListingStatus.PUBLISHED
        ).count()
        for kind, model in PUBLIC_KINDS.items()
    }


def field_or_404(code: str) -> TechnicalField:
    return get_object_or_404(TechnicalField.objects.select_related("parent"), code=code)


def listings_in_field(field: TechnicalField, limit: int) -> list:
    """The newest published listings of both kinds in a field (or one of its sub-fields)."""
    in_field = Q(fields=field) | Q(fields__parent=field)
    rows = []
    for model in PUBLIC_KINDS.values():
        ids = (
            model.objects.filter(in_field, status=ListingStatus.PUBLISHED)
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)
            .distinct()[:limit]
        )
        rows += list(listings_public(model).filter(pk__in=list(ids)))
    rows.sort(key=lambda x: (x.published_at, x.pk), reverse=True)
    return rows[:limit]

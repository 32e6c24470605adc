"""The owner's dashboard ("My listings") as a FilterSet: one kind's listings of the
organisation, by status. Every state is a URL (``?kind=challenge&status=draft``)."""

from __future__ import annotations

import django_filters as df
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from marketplace.listings import selectors
from marketplace.listings.choices import ListingKind, ListingStatus
from marketplace.listings.kinds import model_for


class OwnListingsFilterSet(df.FilterSet):
    """``kind`` picks the listings (achievements unless it says challenges); ``status``
    narrows them. An unknown value of either is ignored, and said so."""

    kind = df.ChoiceFilter(
        label=_("Kind"), choices=ListingKind.choices, method="filter_kind", empty_label=None
    )
    status = df.ChoiceFilter(label=_("Status"), choices=ListingStatus.choices)

    def __init__(self, data=None, *, organization: Organization) -> None:
        wanted = (data or {}).get("kind")
        self.kind = wanted if wanted in ListingKind.values else ListingKind.ACHIEVEMENT
        self.organization = organization
        queryset = selectors.listings_of_organization(model_for(self.kind), organization)
        super().__init__(data, queryset=queryset)

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # chose the queryset in __init__

    def chosen_status(self) -> str:
        """The status filtered by, if any (an invalid one is not)."""
        self.form.is_valid()
        return self.form.cleaned_data.get("status") or ""

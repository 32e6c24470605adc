"""The brokers' region page as a FilterSet: one kind's published listings of the region, by
technical field, status and title (or number). Every state is a URL; a value that cannot
be understood is left out and said so (``marketplace.filtering``)."""

from __future__ import annotations

from datetime import timedelta

import django_filters as df
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import ListingKind
from marketplace.listings.facets import facet_key
from marketplace.listings.kinds import Listing, model_for
from marketplace.listings.models import Achievement, TechnicalField
from marketplace.listings.selectors import listings_public
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import Match

# "Expiring": an achievement's expiry or a challenge's deadline within this many days.
EXPIRING_DAYS = 30
# The statuses the region page filters by, each counted.
STATUSES = ("unmatched", "matched", "recommended", "expiring")


def matches_of_outer(model: type[Listing]) -> QuerySet[Match]:
    """The matches of the outer listing (for ``Exists`` and counts)."""
    return Match.objects.filter(**{model.kind: OuterRef("pk")})


def status_condition(model: type[Listing], status: str) -> Q:
    today = timezone.localdate()
    if status == "unmatched":
        return ~Q(Exists(matches_of_outer(model)))
    if status == "matched":
        return Q(Exists(matches_of_outer(model)))
    if status == "recommended":
        return Q(Exists(matches_of_outer(model).filter(proposed_by=ProposedBy.BROKER)))
    if status == "expiring":
        if model is Achievement:
            return Q(expires_at__lt=timezone.now() + timedelta(days=EXPIRING_DAYS))
        return Q(deadline__lte=today + timedelta(days=EXPIRING_DAYS))
    return Q()


def in_field(field: TechnicalField | None) -> Q:
    """Listings naming the field, or (for a top-level field) one of its sub-fields: the
    search's field facet (a parent's key is stored with each of its sub-fields')."""
    if field is None:
        return Q()
    return Q(facet_keys__overlap=[facet_key("field", field.code)])


def title_or_id(q: str) -> Q:
    """A title containing the words, or the listing's number (``12`` or ``#12``)."""
    q = q.strip()
    if not q:
        return Q()
    condition = Q(title__icontains=q)
    number = q.removeprefix("#")
    if number.isdigit() and len(number) < 12:
        condition |= Q(pk=int(number))
    return condition


STATUS_CHOICES = [
    ("unmatched", _("No match yet")),
    ("matched", _("With matches")),
    ("recommended", _("Recommended by a broker")),
    ("expiring", _("Expiring within 30 days")),
]
ALL_PUBLISHED = _("All published")


class FieldChoiceField(forms.ModelChoiceField):
    """A technical field by code, listed as fields and their sub-fields."""

    def label_from_instance(self, obj: TechnicalField) -> str:
        return str(obj) if obj.parent_id else obj.name


class FieldFilter(df.ModelChoiceFilter):
    field_class = FieldChoiceField


class RegionListingsFilterSet(df.FilterSet):
    """``kind`` picks the listings (challenges unless it says achievements)."""

    kind = df.ChoiceFilter(
        label=_("Kind"),
        choices=ListingKind.choices,
        method="filter_kind",
        empty_label=None,
        widget=forms.HiddenInput,
    )
    field = FieldFilter(
        label=_("Technical field"),
        queryset=TechnicalField.objects.select_related("parent").order_by(
            "parent__position", "parent__code", "position", "code"
        ),
        to_field_name="code",
        method="filter_field",
        empty_label=_("All fields"),
    )
    status = df.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=ALL_PUBLISHED
    )
    q = df.CharFilter(label=_("Title or number"), max_length=200, method="filter_q")

    def __init__(self, data=None, *, region: str, kind: str | None = None) -> None:
        wanted = kind or (data or {}).get("kind")
        self.kind = wanted if wanted in ListingKind.values else ListingKind.CHALLENGE
        self.model = model_for(self.kind)
        self.region = region
        super().__init__(data, queryset=listings_public(self.model).filter(region=region))

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # chose the queryset in __init__

    def filter_field(self, queryset: QuerySet, name: str, value: TechnicalField) -> QuerySet:
        return queryset.filter(in_field(value))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status_condition(self.model, value))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(title_or_id(value))

    def chosen(self) -> dict:
        """The filters in effect (an invalid one is not): kind, field, status, q."""
        self.form.is_valid()
        data = self.form.cleaned_data
        return {
            "kind": self.kind,
            "field": data.get("field"),
            "status": data.get("status") or "",
            "q": data.get("q") or "",
        }

    def qs_except(self, *names: str) -> QuerySet:
        """The listings passing every filter but those named (for the counts of each)."""
        self.form.is_valid()
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

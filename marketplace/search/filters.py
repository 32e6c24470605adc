"""One FilterSet per listing kind. Every state is a query string, so a search is a URL.

Bad values (text in a number, an unknown choice) do not fail: the form drops the field and
the page says what it ignored. Facet filters (field, region, TRL, IP status, mode) combine
OR within a facet and AND across facets, which is what the facet counts assume.
"""

from __future__ import annotations

import math

import django_filters as df
from django import forms
from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganizationKind, Region
from marketplace.listings.choices import CooperationMode, IPStatus
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.text.analysis import query_terms
from marketplace.text.postgres import is_postgres, search_query

# How alike a misspelt word must be to a title or organisation name is the database
# session's pg_trgm.word_similarity_threshold, set from SEARCH_TYPO_SIMILARITY (settings).
MAX_QUERY_LENGTH = 200

SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "deadline": _("Deadline soonest"),
    "trl": _("Maturity (TRL), highest first"),
}


def mode_condition(field: str, modes: list[str]) -> Q:
    """Listings whose JSON list ``field`` holds any of ``modes``."""
    condition = Q()
    for mode in modes:
        if is_postgres():
            condition |= Q(**{f"{field}__contains": [mode]})
        else:  # SQLite has no JSON containment; the quoted code is unambiguous.
            condition |= Q(**{f"{field}__icontains": f'"{mode}"'})
    return condition


def text_condition(model, text: str) -> Q | None:
    """Full text (weighted vector) or, forgiving a typo, a title or organisation name."""
    if is_postgres():
        query = search_query(text)
        if query is None:
            return None
        return (
            Q(search_vector=query)
            | Q(title__trigram_word_similar=text)
            | Q(organization__name__trigram_word_similar=text)
            | Q(organization__name_en__trigram_word_similar=text)
        )
    condition = Q()
    for term in query_terms(text):
        condition &= (
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(description__icontains=term)
            | Q(keywords__icontains=term)
            | Q(organization__name__icontains=term)
            | Q(organization__name_en__icontains=term)
        )
    return condition or None


class ListingFilterSet(df.FilterSet):
    """What the achievement and challenge searches share."""

    mode_field: str  # the JSON list of cooperation modes
    trl_field: str
    deadline_field: str  # what "deadline soonest" sorts by
    deadline_date: str  # the same as a date lookup

    q = df.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 光刻胶, battery")}),
    )
    field = df.MultipleChoiceFilter(label=_("Technical field"), method="filter_field", choices=())
    trl_min = df.NumberFilter(
        label=_("TRL from"), method="filter_trl_min", min_value=1, max_value=9
    )
    trl_max = df.NumberFilter(label=_("TRL to"), method="filter_trl_max", min_value=1, max_value=9)
    mode = df.MultipleChoiceFilter(
        label=_("Cooperation mode"), choices=CooperationMode.choices, method="filter_mode"
    )
    region = df.MultipleChoiceFilter(label=_("Region"), choices=Region.choices)
    org_kind = df.ChoiceFilter(
        label=_("Organisation kind"),
        field_name="organization__kind",
        choices=OrganizationKind.choices,
    )
    org = df.CharFilter(label=_("Organisation"), method="filter_org", max_length=MAX_QUERY_LENGTH)
    price_min = df.NumberFilter(
        label=_("Price from (yuan)"), method="filter_price_min", min_value=0
    )
    price_max = df.NumberFilter(
        label=_("Price up to (yuan)"), method="filter_price_max", min_value=0
    )
    deadline_after = df.DateFilter(
        label=_("Deadline after"),
        method="filter_deadline_after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deadline_before = df.DateFilter(
        label=_("Deadline before"),
        method="filter_deadline_before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_since = df.DateFilter(
        label=_("Published since"),
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = df.ChoiceFilter(
        label=_("Sort by"), choices=list(SORTS.items()), method="filter_sort", empty_label=None
    )

    # Facets: the filters whose options show how many results each would give.
    FACETS = ("field", "region", "trl", "mode")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["field"].extra["choices"] = [
            (f.code, f.code) for f in TechnicalField.objects.only("code")
        ]
        self.form.fields["field"].choices = self.filters["field"].extra["choices"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The sort is applied last, whatever order the filters were declared in.
        queryset = super().filter_queryset(queryset)
        return self.apply_sort(queryset, self.form.cleaned_data.get("sort"))

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def apply_sort(self, queryset: QuerySet, sort: str | None) -> QuerySet:
        q = self.form.cleaned_data.get("q")
        if not sort:
            sort = "relevance" if q else "newest"
        if sort == "relevance" and q and is_postgres():
            query = search_query(q)
            rank = (
                Coalesce(SearchRank(F("search_vector"), query), Value(0.0)) if query else Value(0.0)
            )
            # A typo-only match (trigram) ranks below any full-text match.
            typo = TrigramWordSimilarity(q, "title") * Value(0.01)
            return queryset.annotate(rank=Greatest(rank, typo)).order_by(
                "-rank", "-published_at", "-pk"
            )
        if sort == "deadline":
            return queryset.order_by(self.deadline_field, "-pk")
        if sort == "trl":
            return queryset.order_by(f"-{self.trl_field}", "-published_at", "-pk")
        return queryset.order_by("-published_at", "-pk")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = text_condition(queryset.model, value.strip())
        return queryset.filter(condition) if condition is not None else queryset

    def filter_field(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        # A parent field includes its sub-fields.
        fields = TechnicalField.objects.filter(Q(code__in=value) | Q(parent__code__in=value))
        matching = queryset.model.objects.filter(fields__in=fields).values("pk")
        return queryset.filter(pk__in=matching)

    # Levels are whole numbers: a fractional bound is rounded inwards (5.5 → at least 6).
    def filter_trl_min(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.trl_field}__gte": math.ceil(value)})

    def filter_trl_max(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.trl_field}__lte": math.floor(value)})

    def filter_mode(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(mode_condition(self.mode_field, value)) if value else queryset

    def filter_org(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        condition = Q(organization__name__icontains=value) | Q(
            organization__name_en__icontains=value
        )
        if is_postgres():
            condition |= Q(organization__name__trigram_word_similar=value) | Q(
                organization__name_en__trigram_word_similar=value
            )
        return queryset.filter(condition)

    def filter_deadline_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.deadline_date}__gte": value})

    def filter_deadline_before(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.deadline_date}__lte": value})


class AchievementFilterSet(ListingFilterSet):
    """Search of published achievements."""

    mode_field = "transaction_modes"
    trl_field = "trl"
    deadline_field = "expires_at"  # an achievement is available until it expires
    deadline_date = "expires_at__date"

    ip_status = df.MultipleChoiceFilter(label=_("IP status"), choices=IPStatus.choices)

    FACETS = ("field", "region", "trl", "ip_status", "mode")

    class Meta:
        model = Achievement
        fields: list[str] = []

    def filter_price_min(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(price_negotiable=False, asking_price__gte=value)

    def filter_price_max(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(price_negotiable=False, asking_price__lte=value)


class ChallengeFilterSet(ListingFilterSet):
    """Search of published challenges; TRL filters the minimum maturity they ask for."""

    mode_field = "cooperation_modes"
    trl_field = "min_trl"
    deadline_field = "deadline"
    deadline_date = "deadline"

    class Meta:
        model = Challenge
        fields: list[str] = []

    # A budget range matches a price range when the two overlap; a budget open at one end
    # ("up to 2M", "from 8M") overlaps on that side. A budget with no figures is left out.
    def filter_price_min(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(
            Q(budget_max__gte=value) | Q(budget_max__isnull=True, budget_min__isnull=False)
        )

    def filter_price_max(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(
            Q(budget_min__lte=value) | Q(budget_min__isnull=True, budget_max__isnull=False)
        )


# The query-string parameters of each search (what a saved search keeps).
ACHIEVEMENT_PARAMS = frozenset(AchievementFilterSet.base_filters) - {"sort"}
CHALLENGE_PARAMS = frozenset(ChallengeFilterSet.base_filters) - {"sort"}

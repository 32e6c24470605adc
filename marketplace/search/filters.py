"""One FilterSet per listing kind. Every state is a query string, so a search is a URL.

Bad values (text in a number, an unknown choice) do not fail: the form drops the field and
the page says what it ignored. Facet filters (field, region, TRL, IP status, mode) combine
OR within a facet and AND across facets, which is what the facet counts assume.

A text search is hybrid. It finds the listings whose words match (full text, or a title or
organisation name with a typo) and the listings nearest to the query in meaning (the
embeddings' HNSW index: another language, other words for the same thing), and ranks them
by reciprocal rank fusion of the two rankings. Filters and facet counts apply to the union,
so they stay exact over what the page shows.
"""

from __future__ import annotations

import math
import time
from functools import cached_property

import django_filters as df
import numpy as np
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganizationKind, Region
from accounts.models import Organization
from marketplace.listings.choices import CooperationMode, IPStatus, ListingStatus
from marketplace.listings.facets import facet_key
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.listings.selectors import nearest_listings
from marketplace.text import embeddings
from marketplace.text.analysis import query_terms
from marketplace.text.postgres import search_query

# How alike a misspelt word must be to a title or organisation name is the database
# session's pg_trgm.word_similarity_threshold, set from SEARCH_TYPO_SIMILARITY (settings).
MAX_QUERY_LENGTH = 200
# Reciprocal rank fusion's constant: how much the first places outweigh the later ones.
RRF_K = 60
# Full-text hits fused with the neighbours in meaning; any later hit ranks after them all.
FUSED_HEAD = 100
# A neighbour in meaning counts if its cosine with the query is this many standard deviations
# above the query's mean cosine with a sample of the listings.
SEARCH_VECTOR_MIN_Z = 2.5
SAMPLE_SIZE = 500
_samples: dict = {}


def typical_cosine_floor(model, vector) -> float | None:
    """The cosine a listing must reach to stand out for this query vector: the mean over a
    sample of published listings (kept per process for MATCH_STATS_SECONDS) plus
    SEARCH_VECTOR_MIN_Z standard deviations. None when no listing has an embedding."""
    now = time.monotonic()
    cached = _samples.get(model)
    if cached is None or now - cached[0] >= settings.MATCH_STATS_SECONDS:
        vectors = list(
            model.objects.filter(status=ListingStatus.PUBLISHED, embedding__isnull=False)
            .order_by("?")
            .values_list("embedding", flat=True)[:SAMPLE_SIZE]
        )
        sample = np.array(vectors, dtype=np.float32) if vectors else None
        _samples[model] = cached = (now, sample)
    sample = cached[1]
    if sample is None or len(sample) < 2:
        return None
    cosines = sample @ np.asarray(vector, dtype=np.float32)
    # At least a little above the mean: in a sample of identical cosines nothing stands out.
    return float(cosines.mean() + max(SEARCH_VECTOR_MIN_Z * cosines.std(), 0.02))


def samples_forget() -> None:
    """Drop the cached samples (tests; after loading many listings)."""
    _samples.clear()


# The filters of the facets (``facet_selection``); the others narrow the base they count in.
FACET_FILTERS = frozenset({"field", "region", "trl_min", "trl_max", "ip_status", "mode"})

SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "deadline": _("Deadline soonest"),
    "trl": _("Maturity (TRL), highest first"),
}


def text_condition(model, text: str) -> Q | None:
    """Full text (weighted vector) or, forgiving a typo, a title or organisation name."""
    query = search_query(text)
    if query is None:
        return None
    # The organisations first (a few hundred rows), so that each branch of the OR is an
    # index scan of the listings: a join inside the OR would read every listing.
    organizations = list(
        Organization.objects.filter(
            Q(name__trigram_word_similar=text) | Q(name_en__trigram_word_similar=text)
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    return (
        Q(search_vector=query)
        | Q(title__trigram_word_similar=text)
        | Q(organization_id__in=organizations)
    )


class ListingFilterSet(df.FilterSet):
    """What the achievement and challenge searches share."""

    trl_field: str
    deadline_field: str  # what "deadline soonest" sorts by
    deadline_date: str  # the same as a date lookup

    q = df.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 光刻胶, battery")}),
    )
    field = df.MultipleChoiceFilter(label=_("Technical field"), method="filter_facet", choices=())
    trl_min = df.NumberFilter(label=_("TRL from"), method="filter_facet", min_value=1, max_value=9)
    trl_max = df.NumberFilter(label=_("TRL to"), method="filter_facet", min_value=1, max_value=9)
    mode = df.MultipleChoiceFilter(
        label=_("Cooperation mode"), choices=CooperationMode.choices, method="filter_facet"
    )
    region = df.MultipleChoiceFilter(
        label=_("Region"), choices=Region.choices, method="filter_facet"
    )
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

    def __init__(self, *args, field_codes: list[str] | None = None, **kwargs) -> None:
        """``field_codes``: the technical fields' codes, when the caller has them already
        (a page that shows the fields, a loop over many searches); else read here."""
        super().__init__(*args, **kwargs)
        if field_codes is None:
            field_codes = list(TechnicalField.objects.values_list("code", flat=True))
        self.filters["field"].extra["choices"] = [(code, code) for code in field_codes]
        self.form.fields["field"].choices = self.filters["field"].extra["choices"]

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def apply_sort(self, queryset: QuerySet, sort: str | None) -> QuerySet:
        q = self.form.cleaned_data.get("q")
        if not sort:
            sort = "relevance" if q else "newest"
        if sort == "relevance" and q:
            return self._fused_order(queryset, q)
        if sort == "deadline":
            return queryset.order_by(self.deadline_field, "-pk")
        if sort == "trl":
            return queryset.order_by(f"-{self.trl_field}", "-published_at", "-pk")
        return queryset.order_by("-published_at", "-pk")

    @cached_property
    def text_match(self) -> Q | None:
        # Computed once: the results and the facet counts both filter by it.
        condition = text_condition(self._meta.model, self.form.cleaned_data["q"].strip())
        if condition is None:
            return None
        if self.neighbours:
            condition |= Q(pk__in=[pk for pk, _similarity in self.neighbours])
        return condition

    @cached_property
    def neighbours(self) -> list[tuple[int, float]]:
        """The published listings nearest to the query in meaning, best first, as (id,
        cosine): at most SEARCH_VECTOR_NEIGHBOURS, and only those that stand out, i.e. whose
        cosine is SEARCH_VECTOR_MIN_Z standard deviations above the query's typical cosine
        with a listing (over a sample of them). Every listing is at some distance from any
        query; a query that nothing matches in meaning must bring nothing."""
        q = (self.form.cleaned_data.get("q") or "").strip()
        if not q or not settings.SEARCH_VECTOR_NEIGHBOURS or not query_terms(q):
            return []
        vector = embeddings.query(q)
        floor = typical_cosine_floor(self._meta.model, vector)
        if floor is None:
            return []
        found = nearest_listings(self.queryset, vector, limit=settings.SEARCH_VECTOR_NEIGHBOURS)
        return [(pk, similarity) for pk, similarity in found if similarity >= floor]

    @cached_property
    def fused_head(self) -> list[int]:
        """The first results by reciprocal rank fusion, as ids: 1 / (RRF_K + place) in the
        full-text ranking (``ts_rank``) plus the same for the place among the nearest in
        meaning, over the FUSED_HEAD best full-text hits and the neighbours that pass the
        filters (one query each). Any other result has a lower fused score than all of
        these: it comes after them, by ``ts_rank`` (``apply_sort``)."""
        q = self.form.cleaned_data.get("q") or ""
        query = search_query(q)
        if query is None:
            return []
        neighbours = [pk for pk, _similarity in self.neighbours]
        lexical = (
            self.qs_unordered()
            .filter(search_vector=query)
            .annotate(lexical=SearchRank(F("search_vector"), query))
            .order_by("-lexical", "-published_at", "-pk")
            .values_list("pk", flat=True)[:FUSED_HEAD]
        )
        score = {pk: 1.0 / (RRF_K + place) for place, pk in enumerate(lexical, start=1)}
        if neighbours:  # those the filters let through, in one more query
            passing = set(
                self.qs_unordered().filter(pk__in=neighbours).values_list("pk", flat=True)
            )
            for n, pk in enumerate(neighbours, start=1):
                if pk in passing:
                    score[pk] = score.get(pk, 0.0) + 1.0 / (RRF_K + n)
        return sorted(score, key=lambda pk: -score[pk])

    def _fused_order(self, queryset: QuerySet, q: str) -> QuerySet:
        """The fused head first, in its order; then the other full-text hits by ``ts_rank``;
        then the typo-only matches (trigram), by their similarity."""
        head = self.fused_head
        query = search_query(q)
        position = Case(
            *[When(pk=pk, then=Value(n)) for n, pk in enumerate(head)],
            default=Value(len(head)),
            output_field=IntegerField(),
        )
        typo = TrigramWordSimilarity(q, "title") * Value(0.0001)
        rest = (
            typo
            if query is None
            else Case(
                When(search_vector=query, then=SearchRank(F("search_vector"), query)),
                default=typo,
                output_field=FloatField(),
            )
        )
        return queryset.annotate(head=position, rank=rest).order_by(
            "head", "-rank", "-published_at", "-pk"
        )

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(self.text_match) if self.text_match is not None else queryset

    def facet_selection(self) -> dict[str, list[int]]:
        """The facet filters in effect, as the facet keys each accepts (any of them): what
        the facet counts need to leave one facet's own filter out."""
        cleaned = self.form.cleaned_data
        selection = {}
        for facet in ("field", "region", "ip_status", "mode"):
            if cleaned.get(facet):
                selection[facet] = [facet_key(facet, v) for v in cleaned[facet]]
        low, high = cleaned.get("trl_min"), cleaned.get("trl_max")
        if low is not None or high is not None:
            # Levels are whole numbers: a fractional bound is rounded inwards (5.5 → 6).
            low = 1 if low is None else math.ceil(low)
            high = 9 if high is None else math.floor(high)
            selection["trl"] = [facet_key("trl", level) for level in range(low, high + 1)]
        return selection

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        # The facet filters, one overlap test each; a parent field's key is stored with each
        # of its sub-fields', so a parent includes its sub-fields.
        for keys in self.facet_selection().values():
            queryset = queryset.filter(facet_keys__overlap=keys)
        # The sort is applied last, whatever order the filters were declared in.
        return self.apply_sort(queryset, self.form.cleaned_data.get("sort"))

    def filter_facet(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # applied with the other facets in ``filter_queryset``

    def only_facets(self) -> bool:
        """Whether the facets are the only filters in effect (no text, organisation, price or
        dates): then the facet counts over all published listings can be read, not counted."""
        for name, value in self.form.cleaned_data.items():
            if name in FACET_FILTERS or name == "sort" or value in (None, "", []):
                continue
            if name == "q" and self.text_match is None:
                continue  # nothing searchable in it
            if name == "org" and not value.strip():
                continue
            return False
        return True

    def qs_unordered(self) -> QuerySet:
        """The results without their order (``qs`` orders them, at a cost)."""
        return (
            super()
            .filter_queryset(self.queryset.all())
            .filter(*[Q(facet_keys__overlap=keys) for keys in self.facet_selection().values()])
        )

    def facet_base(self) -> QuerySet:
        """The listings passing every filter except the facets' (what the counts count)."""
        return super().filter_queryset(self.queryset.all())

    def filter_org(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organization__name__icontains=value)
            | Q(organization__name_en__icontains=value)
            | Q(organization__name__trigram_word_similar=value)
            | Q(organization__name_en__trigram_word_similar=value)
        )

    def filter_deadline_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.deadline_date}__gte": value})

    def filter_deadline_before(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.deadline_date}__lte": value})


class AchievementFilterSet(ListingFilterSet):
    """Search of published achievements."""

    trl_field = "trl"
    deadline_field = "expires_at"  # an achievement is available until it expires
    deadline_date = "expires_at__date"

    ip_status = df.MultipleChoiceFilter(
        label=_("IP status"), choices=IPStatus.choices, method="filter_facet"
    )

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

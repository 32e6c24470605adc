"""Searching published listings: filters, ranking, pagination and facet counts.

The number of queries per page is fixed, whatever the page size: the results (with their
fields), one statement for the result count and every facet's counts (``facets``), and the
small lists of technical fields and, for a text search, of organisations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Count, QuerySet
from django.http import QueryDict

from accounts.choices import Region
from marketplace.filtering import filter_leniently
from marketplace.listings.choices import TRL, CooperationMode, IPStatus
from marketplace.listings.facets import facet_key
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.listings.selectors import listings_public
from marketplace.pagination import paginate
from marketplace.search.facets import RESULT, facet_counts
from marketplace.search.filters import (
    MAX_QUERY_LENGTH,
    AchievementFilterSet,
    ChallengeFilterSet,
    ListingFilterSet,
)
from marketplace.text.analysis import query_terms

FILTERSETS: dict[type, type[ListingFilterSet]] = {
    Achievement: AchievementFilterSet,
    Challenge: ChallengeFilterSet,
}
FACET_CHOICES = {
    "region": Region.choices,
    "ip_status": IPStatus.choices,
    "mode": CooperationMode.choices,
}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    children: list[FacetOption] = field(default_factory=list)


@dataclass
class ActiveFilter:
    label: str
    remove_query: str  # the query string without this filter
    key: str = ""  # the parameter: "q" is the text searched, the others the filters


@dataclass
class SearchResults:
    filterset: ListingFilterSet
    sort: str  # the order in effect, chosen or default
    page: Page
    facets: dict[str, list[FacetOption]]
    active: list[ActiveFilter]
    ignored: list[str]  # messages about parameters that could not be understood
    query: str  # the current query string without the page number

    @property
    def has_filters(self) -> bool:
        return bool(self.active)

    @property
    def filter_count(self) -> int:
        """The filters chosen in the filter panel (the text searched is not one of them):
        the number on the phones' "Filters" button."""
        return sum(1 for f in self.active if f.key != "q")


def _without(data: QueryDict, keys: tuple[str, ...], value: str | None = None) -> QueryDict:
    copy = data.copy()
    for key in keys:
        if value is None:
            copy.pop(key, None)
        else:
            copy.setlist(key, [v for v in copy.getlist(key) if v != value])
    return copy


def _facets(
    filterset_class: type[ListingFilterSet],
    counts: Counter,
    data: QueryDict,
    fields: list[TechnicalField],
) -> dict[str, list[FacetOption]]:
    def options(facet: str, choices, selected: list[str]) -> list[FacetOption]:
        return [
            FacetOption(str(v), str(label), counts[facet_key(facet, v)], str(v) in selected)
            for v, label in choices
        ]

    facets: dict[str, list[FacetOption]] = {}
    for facet in filterset_class.FACETS:
        if facet == "field":
            selected = data.getlist("field")
            children = [(f.parent_id, (f.code, f.name)) for f in fields if f.parent_id]
            facets[facet] = [
                FacetOption(
                    top.code,
                    top.name,
                    counts[facet_key("field", top.code)],
                    top.code in selected,
                    options("field", [c for p, c in children if p == top.pk], selected),
                )
                for top in fields
                if top.parent_id is None
            ]
        elif facet == "trl":
            # A range, not ticks: no option is "selected".
            facets[facet] = options("trl", TRL.choices, [])
        else:
            facets[facet] = options(facet, FACET_CHOICES[facet], data.getlist(facet))
    return facets


def _active_filters(
    filterset: ListingFilterSet, data: QueryDict, fields: list[TechnicalField]
) -> list[ActiveFilter]:
    labels = {
        "field": {f.code: f.name for f in fields},
        "region": dict(Region.choices),
        "ip_status": dict(IPStatus.choices),
        "mode": dict(CooperationMode.choices),
    }
    cleaned = filterset.form.cleaned_data
    active = []
    for key in data:
        if key == "sort" or key not in cleaned or cleaned[key] in (None, "", []):
            continue
        if key == "q" and not query_terms(cleaned[key]):
            continue  # nothing searchable in it (punctuation only)
        name = str(filterset.filters[key].label)
        if key in labels:
            for value in data.getlist(key):
                label = labels[key].get(value, value)
                active.append(
                    ActiveFilter(f"{name}: {label}", _without(data, (key,), value).urlencode(), key)
                )
        else:
            active.append(
                ActiveFilter(f"{name}: {data.get(key)}", _without(data, (key,)).urlencode(), key)
            )
    return active


class _HeadFirst:
    """A text search's results for the paginator. The pages within the fused head (the
    first hundred or so by reciprocal rank fusion, ``ListingFilterSet.fused_head``) are read
    by id, which spares ranking every full-text hit; later pages from the full ordering."""

    ordered = True  # for the paginator: it is, by fused rank

    def __init__(self, filterset: ListingFilterSet, results: QuerySet) -> None:
        self.filterset = filterset
        self.results = results

    @property
    def head(self) -> list[int]:
        return self.filterset.fused_head

    def count(self) -> int:  # the paginator is told the count; never asked
        raise NotImplementedError

    def __getitem__(self, window: slice) -> list:
        if window.stop is not None and window.stop <= len(self.head):
            ids = self.head[window]
            rows = {x.pk: x for x in self.results.order_by().filter(pk__in=ids)}
            return [rows[pk] for pk in ids if pk in rows]
        return list(self.results[window])


def listings_search(model, params: QueryDict, *, per_page: int) -> SearchResults:
    """Published listings of ``model`` matching the query-string ``params``."""
    # The cards show neither the description nor the search data: not read for 20 rows.
    listings = listings_public(model).defer(
        "description", "search_vector", "facet_keys", "embedding"
    )
    fields = list(TechnicalField.objects.all())  # in display order: the tree, and labels
    filtered = filter_leniently(
        FILTERSETS[model],
        params,
        max_lengths={"q": MAX_QUERY_LENGTH},
        queryset=listings,
        field_codes=[f.code for f in fields],
    )
    filterset, data, ignored = filtered.filterset, filtered.data, filtered.ignored
    counts = facet_counts(
        filterset.facet_base(),
        filterset.facet_selection(),
        only_facets=filterset.only_facets(),
    )
    cleaned = filterset.form.cleaned_data
    results = filterset.qs
    if (cleaned.get("sort") or "relevance") == "relevance" and cleaned.get("q"):
        results = _HeadFirst(filterset, results)
    page = paginate(params, results, per_page, count=counts[RESULT])
    return SearchResults(
        filterset=filterset,
        sort=cleaned.get("sort") or ("relevance" if cleaned.get("q") else "newest"),
        page=page,
        facets=_facets(FILTERSETS[model], counts, data, fields),
        active=_active_filters(filterset, data, fields),
        ignored=ignored,
        query=filtered.query,
    )


def saved_searches_of(user) -> QuerySet:
    return user.saved_searches.annotate(alert_count=Count("alerts")).order_by("name")


def saved_search_alerts_of(user) -> QuerySet:
    return user.saved_search_alerts.select_related("saved_search").order_by("-created_at", "-pk")

"""Searching published listings: filters, ranking, pagination and facet counts.

The number of queries per page is fixed (results, their count, their fields, and one or
two per facet), whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.choices import Region
from marketplace.listings.choices import TRL, CooperationMode, IPStatus, ListingStatus
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.listings.selectors import listings_public
from marketplace.search.filters import (
    MAX_QUERY_LENGTH,
    AchievementFilterSet,
    ChallengeFilterSet,
    ListingFilterSet,
    mode_condition,
)
from marketplace.text.analysis import query_terms

FILTERSETS: dict[type, type[ListingFilterSet]] = {
    Achievement: AchievementFilterSet,
    Challenge: ChallengeFilterSet,
}
# The query-string parameters that each facet owns (left out when counting its options).
FACET_PARAMS = {
    "field": ("field",),
    "region": ("region",),
    "trl": ("trl_min", "trl_max"),
    "ip_status": ("ip_status",),
    "mode": ("mode",),
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


def _clean_params(params: QueryDict) -> QueryDict:
    """The parameters a FilterSet reads; empty values and the page number dropped, an
    over-long query cut to its allowed length."""
    data = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [v for v in values if v.strip()]
        if key != "page" and kept:
            data.setlist(key, kept)
    if "q" in data:
        data["q"] = data["q"][:MAX_QUERY_LENGTH]
    return data


def _drop_unknown_choices(filterset: ListingFilterSet, data: QueryDict) -> list[str]:
    """Remove unknown values of multi-value filters one by one (keeping the good ones)."""
    ignored = []
    for name, form_field in filterset.form.fields.items():
        if not isinstance(form_field, forms.MultipleChoiceField):
            continue
        values = data.getlist(name)
        bad = [v for v in values if not form_field.valid_value(v)]
        if bad:
            data.setlist(name, [v for v in values if v not in bad])
            ignored.append(
                _("“%(param)s” was ignored: %(error)s")
                % {
                    "param": name,
                    "error": _("unknown value %(values)s") % {"values": ", ".join(bad)},
                }
            )
    return ignored


def _without(data: QueryDict, keys: tuple[str, ...], value: str | None = None) -> QueryDict:
    copy = data.copy()
    for key in keys:
        if value is None:
            copy.pop(key, None)
        else:
            copy.setlist(key, [v for v in copy.getlist(key) if v != value])
    return copy


def _facet_queryset(model, data: QueryDict, facet: str) -> QuerySet:
    """The results as they would be without this facet's own filter, unsorted."""
    facet_data = _without(data, FACET_PARAMS[facet] + ("sort",))
    published = model.objects.filter(status=ListingStatus.PUBLISHED)
    filterset = FILTERSETS[model](facet_data, queryset=published)
    return filterset.qs.order_by()


def _counts(queryset: QuerySet, column: str) -> dict:
    return {
        row[column]: row["n"] for row in queryset.values(column).annotate(n=Count("pk")).order_by()
    }


def _choice_facet(counts: dict, choices, selected: list[str]) -> list[FacetOption]:
    return [
        FacetOption(str(value), str(label), counts.get(value, 0), str(value) in selected)
        for value, label in choices
    ]


def _field_facet(model, queryset: QuerySet, selected: list[str]) -> list[FacetOption]:
    through = model.fields.through
    link = f"{model._meta.model_name}_id"
    links = through.objects.filter(**{f"{link}__in": queryset.values("pk")})
    by_field = {
        row["technicalfield_id"]: row["n"]
        for row in links.values("technicalfield_id")
        .annotate(n=Count(link, distinct=True))
        .order_by()
    }
    # A listing counts once under a parent even when it has several of its sub-fields.
    by_parent = {
        row["top"]: row["n"]
        for row in links.annotate(top=Coalesce("technicalfield__parent_id", "technicalfield_id"))
        .values("top")
        .annotate(n=Count(link, distinct=True))
        .order_by()
    }
    options = []
    for top in TechnicalField.objects.filter(parent__isnull=True).prefetch_related("children"):
        children = [
            FacetOption(c.code, c.name, by_field.get(c.pk, 0), c.code in selected)
            for c in top.children.all()
        ]
        options.append(
            FacetOption(
                top.code, top.name, by_parent.get(top.pk, 0), top.code in selected, children
            )
        )
    return options


def _facets(model, data: QueryDict) -> dict[str, list[FacetOption]]:
    filterset_class = FILTERSETS[model]
    facets: dict[str, list[FacetOption]] = {}
    for facet in filterset_class.FACETS:
        queryset = _facet_queryset(model, data, facet)
        if facet == "field":
            facets[facet] = _field_facet(model, queryset, data.getlist("field"))
        elif facet == "region":
            facets[facet] = _choice_facet(
                _counts(queryset, "region"), Region.choices, data.getlist("region")
            )
        elif facet == "ip_status":
            facets[facet] = _choice_facet(
                _counts(queryset, "ip_status"), IPStatus.choices, data.getlist("ip_status")
            )
        elif facet == "trl":
            column = filterset_class.trl_field
            counts = _counts(queryset, column)
            facets[facet] = [
                FacetOption(str(level), str(label), counts.get(level, 0), False)
                for level, label in TRL.choices
            ]
        elif facet == "mode":
            field_name = filterset_class.mode_field
            counts = queryset.aggregate(
                **{
                    m: Count("pk", filter=mode_condition(field_name, [m]))
                    for m in CooperationMode.values
                }
            )
            facets[facet] = _choice_facet(counts, CooperationMode.choices, data.getlist("mode"))
    return facets


def _active_filters(filterset: ListingFilterSet, data: QueryDict) -> list[ActiveFilter]:
    labels = {
        "field": {f.code: f.name for f in TechnicalField.objects.all()},
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
                    ActiveFilter(f"{name}: {label}", _without(data, (key,), value).urlencode())
                )
        else:
            active.append(
                ActiveFilter(f"{name}: {data.get(key)}", _without(data, (key,)).urlencode())
            )
    return active


def listings_search(model, params: QueryDict, *, per_page: int) -> SearchResults:
    """Published listings of ``model`` matching the query-string ``params``."""
    data = _clean_params(params)
    filterset = FILTERSETS[model](data, queryset=listings_public(model))
    # The form reads ``data`` when it first validates, so this cleaning happens before.
    ignored = _drop_unknown_choices(filterset, data)
    ignored += [
        _("“%(param)s” was ignored: %(error)s")
        % {"param": name, "error": " ".join(str(e) for e in errors)}
        for name, errors in filterset.errors.items()
    ]
    for name in filterset.errors:
        data.pop(name, None)
    page = Paginator(filterset.qs, per_page).get_page(params.get("page"))
    cleaned = filterset.form.cleaned_data
    return SearchResults(
        filterset=filterset,
        sort=cleaned.get("sort") or ("relevance" if cleaned.get("q") else "newest"),
        page=page,
        facets=_facets(model, data),
        active=_active_filters(filterset, data),
        ignored=ignored,
        query=urlencode(list(data.lists()), doseq=True),
    )


def saved_searches_of(user) -> QuerySet:
    return user.saved_searches.annotate(alert_count=Count("alerts")).order_by("name")


def saved_search_alerts_of(user) -> QuerySet:
    return user.saved_search_alerts.select_related("saved_search").order_by("-created_at", "-pk")

"""The searchable list pages of achievements and challenges.

A plain GET form: every state is a shareable URL and works with JavaScript off. With htmx,
changing a filter fetches the same URL and swaps the results and the facet counts in place.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from marketplace.listings.choices import ListingKind
from marketplace.listings.models import Achievement, Challenge
from marketplace.search.selectors import listings_search

MODELS = {ListingKind.ACHIEVEMENT: Achievement, ListingKind.CHALLENGE: Challenge}


def listing_search(request: HttpRequest, kind: str) -> HttpResponse:
    results = listings_search(MODELS[kind], request.GET, per_page=settings.LISTINGS_PAGE_SIZE)
    context = {"kind": kind, "results": results, "page": results.page}
    if request.htmx and not request.htmx.boosted:
        return render(request, "search/includes/results.html", {**context, "oob": True})
    return render(request, f"search/{kind}_list.html", context)

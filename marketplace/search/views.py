"""The searchable list pages of achievements and challenges.

A plain GET form: every state is a shareable URL and works with JavaScript off. With htmx,
changing a filter fetches the same URL and swaps the results and the facet counts in place.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.listings.kinds import model_for
from marketplace.refusals import Refused
from marketplace.search import selectors, services
from marketplace.search.forms import SavedSearchForm
from marketplace.search.models import SavedSearch
from marketplace.search.selectors import listings_search


def listing_search(request: HttpRequest, kind: str) -> HttpResponse:
    results = listings_search(model_for(kind), request.GET, per_page=settings.LISTINGS_PAGE_SIZE)
    context = {"kind": kind, "results": results, "page": results.page}
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        response = render(request, "search/includes/results.html", {**context, "oob": True})
    else:
        response = render(request, f"search/{kind}_list.html", context)
    # The same URL answers with a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def saved_search_create(request: HttpRequest, kind: str) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    back = reverse(f"search:{kind}_list")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    query = form.cleaned_data["query"]
    try:
        saved = services.saved_search_create(
            user=request.user, name=form.cleaned_data["name"], kind=kind, params=QueryDict(query)
        )
    except Refused as refusal:
        for error in refusal.messages():
            messages.error(request, error)
        return redirect(f"{back}?{query}" if query else back)
    messages.success(
        request,
        _("Saved. We will email you when a new listing matches “%(name)s”.") % {"name": saved.name},
    )
    return redirect(saved.get_absolute_url())


def _get_saved_search_for_owner(request: HttpRequest, pk: int) -> SavedSearch:
    return get_object_or_404(SavedSearch, pk=pk, user=request.user)


@login_required
def saved_search_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "search/savedsearch_list.html",
        {
            "saved_searches": selectors.saved_searches_of(request.user),
            "alerts": selectors.saved_search_alerts_of(request.user)[:20],
        },
    )


@login_required
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _get_saved_search_for_owner(request, pk)
    if request.method == "POST":
        services.saved_search_delete(saved_search=saved)
        messages.success(request, _("The saved search was deleted."))
        return redirect("search:saved_search_list")
    return render(request, "search/savedsearch_confirm_delete.html", {"saved_search": saved})

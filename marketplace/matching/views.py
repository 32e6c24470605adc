"""A listing owner's matches page; dismissing or restoring one match; marking it relevant
or not relevant (in place with htmx, a plain form post without JavaScript).

Access: members of the organisation that owns the listing; anyone else who may see the
listing gets 403, anyone who may not gets 404 (no leak of drafts); visitors log in first.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.listings.kinds import Listing, counterpart_kind, model_or_404
from marketplace.listings.selectors import listing_access
from marketplace.matching import selectors, services
from marketplace.matching.forms import MatchFeedbackForm
from marketplace.matching.models import Match


def _get_listing_for_owner(request: HttpRequest, kind: str, pk: int) -> Listing:
    listing = get_object_or_404(model_or_404(kind).objects.select_related("organization"), pk=pk)
    access = listing_access(request.user, listing)
    if not access.can_view:
        raise Http404
    if not access.can_edit:
        raise PermissionDenied(_("Only the organisation that owns a listing sees its matches."))
    return listing


def _get_match_for_party(request: HttpRequest, pk: int) -> tuple[Match, Listing]:
    """The match and the user's own listing in it; 404 unless the user owns one side."""
    match = get_object_or_404(
        Match.objects.select_related("achievement__organization", "challenge__organization"),
        pk=pk,
    )
    for listing in (match.achievement, match.challenge):
        if listing_access(request.user, listing).can_edit:
            return match, listing
    raise Http404


@login_required
def match_list(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing = _get_listing_for_owner(request, kind, pk)
    other = counterpart_kind(kind)
    matches = list(selectors.matches_of_listing(listing))
    strong = settings.MATCH_NOTIFY_THRESHOLD
    return render(
        request,
        "matching/match_list.html",
        {
            "listing": listing,
            "other": other,
            "matches": matches,
            "strong": strong,
            "strong_matches": [m for m in matches if m.score >= strong],
            "dismissed": selectors.matches_of_listing(listing, dismissed=True),
        },
    )


def _set_dismissed(request: HttpRequest, pk: int, dismissed: bool, message: str) -> HttpResponse:
    match, listing = _get_match_for_party(request, pk)
    services.match_dismiss(match=match, user=request.user, dismissed=dismissed)
    messages.success(request, message)
    return redirect(f"matching:{listing.kind}_matches", pk=listing.pk)


@login_required
@require_POST
def match_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_dismissed(
        request, pk, True, _("Match dismissed. You can restore it below the list.")
    )


@login_required
@require_POST
def match_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_dismissed(request, pk, False, _("Match restored."))


@login_required
@require_POST
def match_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Either organisation of a match marks it relevant or not relevant for itself."""
    match, listing = _get_match_for_party(request, pk)
    form = MatchFeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Say whether the match is relevant: yes or no."))
    relevant = form.cleaned_data["relevant"]
    services.match_feedback_set(match=match, user=request.user, relevant=relevant)
    if request.htmx:
        # The match as the page shows it, in its new state, swapped in place.
        match = selectors.match_of_listing(listing, pk) or match
        other = counterpart_kind(listing.kind)
        return render(
            request,
            "matching/includes/match_item.html",
            {"match": match, "counterpart": getattr(match, other), "other": other},
        )
    if relevant:
        messages.success(request, _("Marked relevant. Similar matches will rank a little higher."))
    else:
        messages.success(
            request,
            _(
                "Marked not relevant: the match is hidden from your list and similar matches "
                "will rank a little lower. You can change your mind below the list."
            ),
        )
    return redirect(f"matching:{listing.kind}_matches", pk=listing.pk)

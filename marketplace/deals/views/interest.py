"""Pages of interest: expressing it, the received and sent lists, an interest, its answer."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.views import organization_none
from marketplace.deals import selectors, services
from marketplace.deals.choices import InterestStatus
from marketplace.deals.filters import InterestFilterSet
from marketplace.deals.forms import DeclineForm, InterestForm
from marketplace.deals.views.access import (
    get_interest_for_owner,
    get_interest_for_party,
    get_listing_for_interest,
    get_match_for_interest,
    posted,
)
from marketplace.filtering import filter_leniently
from marketplace.limits import rate_limited
from marketplace.pagination import paginate
from marketplace.refusals import Refused, attempt, refused_form


@login_required
@rate_limited("interest")
def interest_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing, options = get_listing_for_interest(request, kind, pk)
    existing = options.open_interest
    if existing is not None:
        messages.info(request, options.express.reason)
        if existing.status == InterestStatus.ACCEPTED and hasattr(existing, "conversation"):
            return redirect(existing.conversation)
        return redirect(existing)
    if not options.express:
        raise PermissionDenied(options.express.reason)
    match = get_match_for_interest(request, listing, options.organization)
    form = InterestForm(posted(request))
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            interest = services.interest_express(
                listing=listing,
                user=request.user,
                purpose=form.cleaned_data["purpose"],
                message=form.cleaned_data["message"],
                match=match,
            )
        except Refused as refusal:
            status = refused_form(form, refusal)
        else:
            messages.success(
                request,
                _("Your interest was sent. We will tell you when %(org)s answers.")
                % {"org": listing.organization.display_name},
            )
            return redirect(interest)
    return render(
        request,
        "deals/interest_form.html",
        {"form": form, "listing": listing, "match": match},
        status=status,
    )


def _interest_list(request: HttpRequest, box: str) -> HttpResponse:
    organization = selectors.organization_of(request.user)
    if organization is None:
        return organization_none(request)
    of = selectors.interests_received if box == "received" else selectors.interests_sent
    interests = of(organization)
    filtered = filter_leniently(InterestFilterSet, request.GET, queryset=interests)
    counts = selectors.status_counts(interests)
    return render(
        request,
        "deals/interest_list.html",
        {
            "box": box,
            "organization": organization,
            "status": filtered.values["status"],
            "statuses": [(s, label, counts.get(s, 0)) for s, label in InterestStatus.choices],
            "total": sum(counts.values()),
            "page": paginate(request, filtered.qs, settings.DEALS_PAGE_SIZE),
            "query": filtered.query,
            "ignored": filtered.ignored,
        },
    )


@login_required
def interest_received(request: HttpRequest) -> HttpResponse:
    return _interest_list(request, "received")


@login_required
def interest_sent(request: HttpRequest) -> HttpResponse:
    return _interest_list(request, "sent")


@login_required
def interest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interest, actions = get_interest_for_party(request, pk)
    return render(
        request,
        "deals/interest_detail.html",
        {
            "interest": interest,
            "listing": interest.listing,
            "side": actions.side,
            "actions": actions,
            "now": timezone.now(),
            "days": settings.INTEREST_ANSWER_WORKING_DAYS,
        },
    )


@login_required
@require_POST
def interest_accept(request: HttpRequest, pk: int) -> HttpResponse:
    interest, _actions = get_interest_for_owner(request, pk)
    accepted = attempt(
        request,
        services.interest_accept,
        _("Interest accepted. %(org)s can now read the full description; write to them here.")
        % {"org": interest.sender_organization.display_name},
        interest=interest,
        user=request.user,
    )
    if not accepted:
        return redirect(interest)
    return redirect(selectors.conversation_of_interest(interest))


@login_required
def interest_decline(request: HttpRequest, pk: int) -> HttpResponse:
    interest, actions = get_interest_for_owner(request, pk)
    form = DeclineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        attempt(
            request,
            services.interest_decline,
            _("Interest declined. We told %(org)s.")
            % {"org": interest.sender_organization.display_name},
            interest=interest,
            user=request.user,
            code=form.cleaned_data["code"],
            reason=form.cleaned_data["reason"],
        )
        return redirect(interest)
    return render(
        request,
        "deals/interest_decline.html",
        {"interest": interest, "listing": interest.listing, "form": form, "actions": actions},
        status=400 if form.is_bound else 200,
    )

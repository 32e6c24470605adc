"""Pages of the pricing routes: the owner sets an achievement's route; a verified
enterprise accepts a listed price's standard licence or bids in its auction. Each view
finds the achievement through ``listing_access`` (404 for whoever may not see it),
validates a form and calls one service; what a person may do is the selectors' verdict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.selectors import active_membership
from marketplace.listings.choices import PricingRoute
from marketplace.listings.models import Achievement
from marketplace.listings.selectors import listing_access
from marketplace.pricing import selectors, services
from marketplace.pricing.forms import BidForm, RouteForm, TermsForm
from marketplace.refusals import Refused, refused_form


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _achievement_or_404(request: HttpRequest, pk: int) -> Achievement:
    achievement = get_object_or_404(Achievement.objects.select_related("organization"), pk=pk)
    if not listing_access(request.user, achievement).can_view:
        raise Http404
    return achievement


@login_required
def pricing_route(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner organisation's page to choose the route and its settings."""
    achievement = _achievement_or_404(request, pk)
    if (
        not listing_access(request.user, achievement).can_edit
        or active_membership(request.user) is None
    ):
        raise PermissionDenied(_("Only the achievement's organisation sets its pricing."))
    auction = selectors.auction_of(achievement)
    initial = {"route": achievement.pricing_route, "listed_price": achievement.asking_price}
    if auction is not None:
        initial |= {
            "start_price": auction.start_price,
            "increment": auction.increment,
            "ends_at": auction.ends_at,
        }
    form = RouteForm(_posted(request), initial=initial)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            services.pricing_set_route(
                achievement=achievement, user=request.user, **form.cleaned_data
            )
        except Refused as refusal:
            status = refused_form(form, refusal)
        else:
            messages.success(request, _("The pricing route was saved."))
            return redirect(achievement)
    return render(
        request,
        "pricing/route_form.html",
        {"listing": achievement, "form": form, "auction": auction},
        status=status,
    )


def terms(request: HttpRequest, pk: int) -> HttpResponse:
    """The listed price's standard licence; a verified enterprise accepts it here."""
    achievement = _achievement_or_404(request, pk)
    if achievement.pricing_route != PricingRoute.LISTED:
        raise Http404
    verdict = selectors.terms_verdict(request.user, achievement)
    form = TermsForm(_posted(request))
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if verdict.forbidden:
            raise PermissionDenied(verdict.reason)
        status = 400
        if form.is_valid():
            try:
                contract = services.terms_accept(achievement=achievement, user=request.user)
            except Refused as refusal:
                status = refused_form(form, refusal)
            else:
                messages.success(
                    request, _("Licence accepted: the contract is recorded and the deal signed.")
                )
                return redirect(contract.deal.conversation)
    membership = active_membership(request.user)
    return render(
        request,
        "pricing/terms.html",
        {
            "listing": achievement,
            "text": selectors.licence_terms(
                achievement, membership.organization if membership else None
            ),
            "verdict": verdict,
            "form": form,
        },
        status=status,
    )


def auction(request: HttpRequest, pk: int) -> HttpResponse:
    """The auction: its state and bids; verified enterprises bid here. Read after the end,
    it closes the auction (the beat task does it otherwise)."""
    achievement = _achievement_or_404(request, pk)
    found = selectors.auction_of(achievement)
    if found is None or achievement.pricing_route != PricingRoute.AUCTION:
        raise Http404
    if found.closed_at is None and selectors.auction_over(found):
        found = services.auction_close(auction=found)
    form = BidForm(_posted(request))
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        verdict = selectors.bid_verdict(request.user, found)
        if verdict.forbidden:
            raise PermissionDenied(verdict.reason)
        status = 400
        if form.is_valid():
            try:
                services.bid_place(auction=found, user=request.user, **form.cleaned_data)
            except Refused as refusal:
                status = refused_form(form, refusal)
            else:
                messages.success(request, _("Your bid was placed."))
                return redirect("pricing:auction", pk)
    state = selectors.auction_state(request.user, found)
    return render(
        request,
        "pricing/auction.html",
        {
            "listing": achievement,
            "state": state,
            "bids": selectors.auction_bids(found),
            "form": form,
        },
        status=status,
    )

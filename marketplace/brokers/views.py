"""The pages of transfer-centre brokers: their region's listings, recommending a match, the
deals they brokered, and the ledger (their queue of assignments, the centre's report).

Access: a broker is an active member of a verified transfer centre and brokers for the
centre's region (``accounts.selectors.broker_region``). Visitors log in first; everyone else
gets 403. A listing to recommend from must be published (else 404, no leak of drafts) and in
the broker's region (else 403). Ledger: an assignment of another centre is 404; assigning
is for the centre's owners (else 403).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Region
from accounts.models import Organization
from accounts.selectors import broker_region
from marketplace.brokers import selectors
from marketplace.brokers import services as ledger
from marketplace.brokers.choices import AssignmentKind
from marketplace.brokers.filters import ALL_PUBLISHED, STATUS_CHOICES, RegionListingsFilterSet
from marketplace.brokers.forms import AssignmentForm, CandidateSearchForm, RecommendForm
from marketplace.brokers.models import BrokerAssignment
from marketplace.filtering import filter_leniently
from marketplace.listings.choices import ListingKind, ListingStatus
from marketplace.listings.kinds import Listing, counterpart_kind, model_for
from marketplace.matching import services as matching_services
from marketplace.matching.retrieval import matchable
from marketplace.pagination import paginate
from marketplace.refusals import Refused, refused_form


def _get_region_for_broker(request: HttpRequest) -> str:
    region = broker_region(request.user)
    if region is None:
        raise PermissionDenied(
            _("These pages are for brokers of a verified technology-transfer centre.")
        )
    return region


def _get_listing_for_broker(request: HttpRequest, kind: str, pk: int) -> tuple[Listing, str]:
    region = _get_region_for_broker(request)
    listing = get_object_or_404(
        model_for(kind).objects.select_related("organization"),
        pk=pk,
        status=ListingStatus.PUBLISHED,
    )
    if listing.region != region:
        raise PermissionDenied(_("You recommend matches for listings of your own region."))
    return listing, region


@login_required
def region_listings(request: HttpRequest) -> HttpResponse:
    region = _get_region_for_broker(request)
    filtered = filter_leniently(RegionListingsFilterSet, request.GET, region=region)
    filters = filtered.filterset.chosen()
    found = selectors.region_listings(filtered.filterset)
    # Counted already, with the other counts.
    page = paginate(request, found.listings, settings.LISTINGS_PAGE_SIZE, count=found.total)
    query = {
        "kind": filters["kind"],
        "field": filters["field"].code if filters["field"] else "",
        "status": filters["status"],
        "q": filters["q"],
    }
    return render(
        request,
        "brokers/listing_list.html",
        {
            "region": region,
            "region_label": Region(region).label if region in Region else region,
            "form": filtered.filterset.form,
            "filters": filters,
            "found": found,
            "page": page,
            "kinds": [
                (kind, label, found.kind_counts[kind], urlencode({**query, "kind": kind}))
                for kind, label in (
                    (ListingKind.CHALLENGE, _("Challenges")),
                    (ListingKind.ACHIEVEMENT, _("Achievements")),
                )
            ],
            "statuses": [
                (value, label, found.status_counts[value])
                for value, label in [("", ALL_PUBLISHED), *STATUS_CHOICES]
            ],
            "query": urlencode({k: v for k, v in query.items() if v}),
            "has_filters": bool(filters["field"] or filters["status"] or filters["q"]),
            # The ledger: a centre's owners assign a challenge from here.
            "may_assign": ledger.is_centre_owner(request.user, ledger.centre_of(request.user)),
        },
    )


@login_required
def match_recommend(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing, region = _get_listing_for_broker(request, kind, pk)
    search = CandidateSearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    form = RecommendForm(request.POST or None, listing=listing)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        counterpart = form.cleaned_data["counterpart"]
        try:
            matching_services.match_recommend(
                broker=request.user,
                note=form.cleaned_data["note"],
                **{listing.kind: listing, counterpart.kind: counterpart},
            )
        except Refused as refusal:
            status = refused_form(form, refusal)  # a note's error lands on the note
        else:
            messages.success(
                request,
                _("Recommended: both organisations have been told, with your note."),
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "brokers/match_recommend.html",
        {
            "listing": listing,
            "region": region,
            "other": counterpart_kind(kind),
            "open": matchable(type(listing)).filter(pk=listing.pk).exists(),
            "search": search,
            "q": q,
            "form": form,
            "candidates": selectors.recommend_candidates(listing, q=q),
            "chosen": str(form["counterpart"].value() or ""),
        },
        status=status,
    )


@login_required
def deal_list(request: HttpRequest) -> HttpResponse:
    _get_region_for_broker(request)
    page = paginate(request, selectors.brokered_deals(request.user), settings.LISTINGS_PAGE_SIZE)
    return render(request, "brokers/deal_list.html", {"page": page})


# --- The broker ledger ------------------------------------------------------------------------


def _get_centre_for_broker(request: HttpRequest) -> Organization:
    centre = ledger.centre_of(request.user)
    if centre is None:
        raise PermissionDenied(
            _("These pages are for brokers of a verified technology-transfer centre.")
        )
    return centre


def _get_assignment_for_broker(request: HttpRequest, pk: int) -> BrokerAssignment:
    """An assignment of the user's own centre; any other is not found (no leak)."""
    centre = _get_centre_for_broker(request)
    return get_object_or_404(
        BrokerAssignment.objects.select_related("centre"), pk=pk, centre=centre
    )


@login_required
def assignment_queue(request: HttpRequest) -> HttpResponse:
    """The broker's queue: open assignments, overdue first, and the latest done ones."""
    centre = _get_centre_for_broker(request)
    return render(
        request,
        "brokers/assignment_queue.html",
        {
            "centre": centre,
            "today": timezone.localdate(),
            "assignments": selectors.broker_queue(request.user),
            "done": selectors.broker_done(request.user),
            "may_assign": ledger.is_centre_owner(request.user, centre),
        },
    )


@login_required
def assignment_create(request: HttpRequest) -> HttpResponse:
    """An owner of the centre assigns a challenge or an interest of its region to a broker."""
    centre = _get_centre_for_broker(request)
    if not ledger.is_centre_owner(request.user, centre):
        raise PermissionDenied(_("Only an owner of the centre assigns work."))
    # Prefilled from a link ("assign this challenge"); the form validates what is posted.
    initial = {}
    if request.GET.get("kind") in AssignmentKind.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("number", "").isdigit():
        initial["number"] = request.GET["number"]
    form = AssignmentForm(request.POST or None, centre=centre, initial=initial)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            ledger.assignment_create(
                user=request.user,
                broker=form.cleaned_data["broker"],
                subject=form.cleaned_data["subject"],
                due=form.cleaned_data["due"],
                note=form.cleaned_data["note"],
            )
        except Refused as refusal:
            status = refused_form(form, refusal)
        else:
            messages.success(request, _("Assigned."))
            return redirect("brokers:report")
    return render(
        request, "brokers/assignment_form.html", {"centre": centre, "form": form}, status=status
    )


@login_required
@require_POST
def assignment_done(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_broker(request, pk)
    try:
        ledger.assignment_done(assignment=assignment, user=request.user)
    except Refused as refusal:
        if refusal.status == Refused.FORBIDDEN:
            raise PermissionDenied(str(refusal)) from refusal
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Marked done."))
    return redirect("brokers:assignments")


@login_required
def centre_report(request: HttpRequest) -> HttpResponse:
    """The centre's report by broker, for its brokers."""
    centre = _get_centre_for_broker(request)
    return render(
        request,
        "brokers/centre_report.html",
        {
            "centre": centre,
            "rows": selectors.centre_report(centre),
            "may_assign": ledger.is_centre_owner(request.user, centre),
        },
    )

"""Pages of listings. Each view finds its object through an access helper, validates a form
and calls one service; the same functions serve achievements and challenges (``kind``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Membership
from accounts.selectors import active_membership
from accounts.views import organization_none
from marketplace.deals import selectors as deals_selectors
from marketplace.filtering import filter_leniently
from marketplace.freshness import services as freshness_services
from marketplace.limits import rate_limited
from marketplace.listings import selectors, services
from marketplace.listings.choices import ListingKind, ListingStatus
from marketplace.listings.filters import OwnListingsFilterSet
from marketplace.listings.forms import (
    LISTING_FORMS,
    AchievementForm,
    AttachmentForm,
    ChallengeForm,
    RenewChallengeForm,
)
from marketplace.listings.kinds import Listing, model_for
from marketplace.listings.models import Achievement, Attachment, Challenge
from marketplace.listings.selectors import ListingAccess
from marketplace.pagination import paginate
from marketplace.refusals import attempt
from marketplace.uploads.downloads import attachment_response
from marketplace.uploads.limits import accepts_uploads


@dataclass(frozen=True)
class Kind:
    model: type[Achievement] | type[Challenge]
    form: type[AchievementForm] | type[ChallengeForm]
    plural_label: str


KINDS = {
    ListingKind.ACHIEVEMENT: Kind(
        Achievement, LISTING_FORMS[ListingKind.ACHIEVEMENT], "achievements"
    ),
    ListingKind.CHALLENGE: Kind(Challenge, LISTING_FORMS[ListingKind.CHALLENGE], "challenges"),
}


def _get_listing_for_viewer(
    request: HttpRequest, kind: str, pk: int
) -> tuple[Listing, ListingAccess]:
    """The listing if this person may see it at all; 404 otherwise (no leak of drafts)."""
    listing = get_object_or_404(KINDS[kind].model.objects.select_related("organization"), pk=pk)
    access = selectors.listing_access(request.user, listing)
    if not access.can_view:
        raise Http404
    return listing, access


def _get_listing_for_owner(request: HttpRequest, kind: str, pk: int) -> Listing:
    """The listing if the user's organisation owns it: 404 if unseen, 403 if someone else's."""
    listing, access = _get_listing_for_viewer(request, kind, pk)
    if not access.can_edit:
        raise PermissionDenied(_("Only members of the organisation that owns it can do this."))
    return listing


def membership_for_listing_work(request: HttpRequest) -> Membership:
    membership = active_membership(request.user)
    if membership is None:
        raise PermissionDenied(_("You need to be an active member of an organisation."))
    return membership


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "listings/home.html",
        {
            "counts": selectors.marketplace_counts(),
            "achievements": selectors.listings_public(Achievement)[:6],
            "challenges": selectors.listings_public(Challenge)[:6],
            "fields": selectors.technical_fields_tree(),
        },
    )


def listing_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing, access = _get_listing_for_viewer(request, kind, pk)
    services.listing_viewed(listing=listing, user=request.user)
    return render(
        request,
        f"listings/{kind}_detail.html",
        {
            "listing": listing,
            "access": access,
            "attachments": selectors.attachments_visible(request.user, listing, access),
            "attachment_form": AttachmentForm() if access.can_edit else None,
            "events": listing.events.select_related("actor")[:10] if access.can_edit else [],
            "stale": access.can_edit
            and listing.status == ListingStatus.PUBLISHED
            and listing.freshness is not None
            and listing.freshness < settings.FRESHNESS_STALE_BELOW,
        },
    )


@login_required
def listing_feedback(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The owner's market feedback on a listing: views, interest and answers, decline
    reasons, and what the other side said of its matches."""
    listing = _get_listing_for_owner(request, kind, pk)
    return render(
        request,
        "listings/listing_feedback.html",
        {"listing": listing, "feedback": deals_selectors.listing_feedback(listing)},
    )


@login_required
def listing_create(request: HttpRequest, kind: str) -> HttpResponse:
    membership = membership_for_listing_work(request)
    form_class = KINDS[kind].form
    form = form_class(request.POST or None, initial={"region": membership.organization.region})
    if request.method == "POST" and form.is_valid():
        listing = services.listing_create(
            model=KINDS[kind].model,
            organization=membership.organization,
            user=request.user,
            data=form.service_data(),
        )
        messages.success(
            request, _("Draft saved. Add files if you like, then submit it for review.")
        )
        return redirect(listing)
    return render(
        request,
        "listings/listing_form.html",
        {"form": form, "kind": kind, "listing": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def listing_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing = _get_listing_for_owner(request, kind, pk)
    if listing.status == ListingStatus.ARCHIVED:
        messages.error(request, _("An archived listing cannot be edited."))
        return redirect(listing)
    form = KINDS[kind].form(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        was_published = listing.status == ListingStatus.PUBLISHED
        if (
            attempt(
                request,
                services.listing_update,
                _("Your changes were saved."),
                listing=listing,
                user=request.user,
                data=form.service_data(),
            )
            and was_published
        ):
            messages.info(
                request, _("The listing went back to review and is hidden until it is approved.")
            )
        return redirect(listing)
    # An invalid form must not leave the edited values on the cached instance.
    listing.refresh_from_db()
    return render(
        request,
        "listings/listing_form.html",
        {"form": form, "kind": kind, "listing": listing},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def listing_submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing = _get_listing_for_owner(request, kind, pk)
    attempt(
        request,
        services.listing_submit,
        _("Submitted for review. We will email you the moderators' decision."),
        listing=listing,
        user=request.user,
    )
    return redirect(listing)


@login_required
def listing_withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Take a listing under review (or rejected) back to draft, after a confirmation: it
    leaves the review queue and has to be submitted again."""
    listing = _get_listing_for_owner(request, kind, pk)
    if request.method == "POST":
        attempt(
            request,
            services.listing_return_to_draft,
            _("The listing is a draft again."),
            listing=listing,
            user=request.user,
        )
        return redirect(listing)
    return render(
        request, "listings/listing_confirm.html", {"listing": listing, "action": "withdraw"}
    )


@login_required
def listing_archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing = _get_listing_for_owner(request, kind, pk)
    if request.method == "POST":
        attempt(
            request,
            services.listing_archive,
            _("The listing was archived."),
            listing=listing,
            user=request.user,
        )
        return redirect(listing)
    return render(
        request, "listings/listing_confirm.html", {"listing": listing, "action": "archive"}
    )


@login_required
def listing_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing = _get_listing_for_owner(request, kind, pk)
    if request.method == "POST":
        if attempt(
            request,
            services.listing_delete,
            _("The listing was deleted."),
            listing=listing,
            user=request.user,
        ):
            return redirect("listings:dashboard")
        return redirect(listing)
    return render(
        request, "listings/listing_confirm.html", {"listing": listing, "action": "delete"}
    )


@login_required
@require_POST
def listing_renew(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing = _get_listing_for_owner(request, kind, pk)
    deadline = None
    if kind == ListingKind.CHALLENGE:
        form = RenewChallengeForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("deadline", []):
                messages.error(request, error)
            return redirect(listing)
        deadline = form.cleaned_data["deadline"]
    if attempt(
        request,
        services.listing_renew,
        _("The listing was renewed."),
        listing=listing,
        user=request.user,
        deadline=deadline,
    ):
        # Renewing confirms the listing: its score (and stale notice) follow at once.
        freshness_services.listing_freshness_refresh(listing=listing)
    return redirect(listing)


@login_required
@require_POST
def listing_confirm_current(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One click: the owner says the published listing is still current."""
    listing = _get_listing_for_owner(request, kind, pk)
    if attempt(
        request,
        services.listing_confirm,
        _("Thank you: the listing is confirmed as current."),
        listing=listing,
        user=request.user,
    ):
        freshness_services.listing_freshness_refresh(listing=listing)
    return redirect(listing)


@login_required
@require_POST
@rate_limited("upload")
@accepts_uploads(max_files=1)
def attachment_upload(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing = _get_listing_for_owner(request, kind, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attempt(
            request,
            services.attachment_add,
            _("The file was attached."),
            listing=listing,
            user=request.user,
            file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            is_confidential=form.cleaned_data["is_confidential"],
        )
        return redirect(listing)
    for field_errors in form.errors.values():
        for error in field_errors:
            messages.error(request, error)
    return redirect(listing)


def _get_attachment_for_viewer(
    request: HttpRequest, pk: int
) -> tuple[Attachment, Listing, ListingAccess]:
    """The attachment if this person may download it; 404 otherwise (no leak of its name)."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("achievement__organization", "challenge__organization"),
        pk=pk,
    )
    listing = attachment.listing
    access = selectors.listing_access(request.user, listing)
    if not selectors.may_download(access, attachment):
        raise Http404
    return attachment, listing, access


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment, _listing, _access = _get_attachment_for_viewer(request, pk)
    return attachment_response(
        attachment.file, filename=attachment.filename, content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, listing, access = _get_attachment_for_viewer(request, pk)
    if not access.can_edit:
        raise PermissionDenied(_("Only members of the organisation that owns it can do this."))
    services.attachment_delete(attachment=attachment, user=request.user)
    messages.success(request, _("The file was removed."))
    return redirect(listing)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The organisation's listings in every status, with what can be done to each."""
    membership = active_membership(request.user)
    if membership is None:
        return organization_none(request)
    organization = membership.organization
    filtered = filter_leniently(OwnListingsFilterSet, request.GET, organization=organization)
    kind, status = filtered.filterset.kind, filtered.filterset.chosen_status()
    counts = selectors.status_counts(model_for(kind), organization)
    kind_totals = {
        k: sum(counts.values())
        if k == kind
        else selectors.listings_of_organization(model_for(k), organization).count()
        for k in KINDS
    }
    page = paginate(request, filtered.qs, settings.LISTINGS_PAGE_SIZE)
    return render(
        request,
        "listings/dashboard.html",
        {
            "organization": organization,
            "kind": kind,
            "status": status,
            "statuses": [(s, label, counts.get(s, 0)) for s, label in ListingStatus.choices],
            "total": sum(counts.values()),
            "kind_totals": kind_totals,
            "page": page,
            "ignored": filtered.ignored,
            # Published listings scoring below this carry a "stale" badge (freshness).
            "stale_below": settings.FRESHNESS_STALE_BELOW,
        },
    )

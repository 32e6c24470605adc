"""How the deals room's pages find their objects: 404 for whoever may not see them, 403 for
whoever may see but not do; what each person may do is the selectors' verdict."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organization
from marketplace.deals import selectors
from marketplace.deals.models import Conversation, Interest
from marketplace.deals.selectors import DealActions, InterestActions, InterestOptions
from marketplace.listings.kinds import Listing, model_or_404
from marketplace.listings.selectors import listing_access
from marketplace.matching.models import Match


def posted(request: HttpRequest):
    """The POSTed data, or None on GET: an empty POST is still a submission (to validate)."""
    return request.POST if request.method == "POST" else None


def get_listing_for_interest(
    request: HttpRequest, kind: str, pk: int
) -> tuple[Listing, InterestOptions]:
    """The listing if the user may see it (404 otherwise), and what they may do about it
    (``interest_options``)."""
    model = model_or_404(kind)
    listing = get_object_or_404(model.objects.select_related("organization"), pk=pk)
    if not listing_access(request.user, listing).can_view:
        raise Http404
    return listing, selectors.interest_options(request.user, listing)


def get_match_for_interest(
    request: HttpRequest, listing: Listing, organization: Organization | None
) -> Match | None:
    """The match named by ``?match=``, if any; 404 unless it pairs the listing with one of the
    user's organisation's listings."""
    raw = request.GET.get("match") or request.POST.get("match")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    match = (
        Match.objects.select_related("achievement", "challenge", "broker")
        .filter(pk=int(raw))
        .first()
    )
    if match is None or not selectors.match_pairs(match, listing, organization):
        raise Http404
    return match


def get_interest_for_party(request: HttpRequest, pk: int) -> tuple[Interest, InterestActions]:
    """The interest and what it offers the user (their side: ``owner``, ``sender``, or
    ``moderator`` who only reads); 404 for anyone else."""
    interest = get_object_or_404(
        Interest.objects.select_related(
            "achievement__organization",
            "challenge__organization",
            "sender_organization",
            "sender",
            "decided_by",
            "conversation",
        ),
        pk=pk,
    )
    actions = selectors.interest_actions(request.user, interest)
    if actions.side is None:
        raise Http404
    return interest, actions


def get_interest_for_owner(request: HttpRequest, pk: int) -> tuple[Interest, InterestActions]:
    """The interest, for the organisation that answers it (403 for the other side and
    moderators); an answer the state refuses is left to the service to say."""
    interest, actions = get_interest_for_party(request, pk)
    if actions.answer.forbidden:
        raise PermissionDenied(actions.answer.reason)
    return interest, actions


def get_conversation_for_party(
    request: HttpRequest, pk: int, *, write: bool = False
) -> tuple[Conversation, DealActions]:
    """The conversation and what its deal offers the user (``deal_actions``: their side is
    ``owner``, ``other``, or ``moderator`` who only reads); 404 for anyone else, 403 for a
    moderator who would write."""
    conversation = get_object_or_404(
        Conversation.objects.select_related(
            "interest__achievement__organization",
            "interest__challenge__organization",
            "interest__sender",
            "interest__sender_organization",
            "owner_organization",
            "other_organization",
            "deal__brokered_by",
            "deal__price_notice",
            "nda__accepted_by",
            "nda__organization",
        ),
        pk=pk,
    )
    actions = selectors.deal_actions(request.user, conversation)
    if actions.side is None:
        raise Http404
    if write and not actions.party:
        raise PermissionDenied(actions.party.reason)
    return conversation, actions


def get_membership_organization(request: HttpRequest):
    organization = selectors.organization_of(request.user)
    if organization is None:
        raise PermissionDenied(_("You need to be an active member of an organisation."))
    return organization

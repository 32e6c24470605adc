"""Pages of the deals room. Each view finds its object through an access helper, validates
a form and calls one service.

Access: an interest, a conversation and its files belong to the two organisations (their
active members); moderators may read them (to handle abuse) but not act; everyone else gets
404, so ids leak nothing. Visitors log in first. What each person may do there is the
selectors' verdict (``interest_options``, ``interest_actions``, ``deal_actions``): the pages
offer only what it allows, and what the services refuse anyway comes back as a message.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.views import organization_none
from marketplace.deals import selectors, services
from marketplace.deals.choices import InterestStatus
from marketplace.deals.forms import (
    AdvanceForm,
    ContractForm,
    DeclineForm,
    InterestForm,
    LoseForm,
    MessageForm,
    NdaForm,
    ReopenForm,
)
from marketplace.deals.models import Conversation, Interest, MessageAttachment
from marketplace.deals.selectors import MODERATOR, DealActions, InterestActions, InterestOptions
from marketplace.listings.choices import ListingKind
from marketplace.listings.kinds import Listing, model_or_404
from marketplace.listings.selectors import attachments_visible, listing_access
from marketplace.matching.models import Match
from marketplace.refusals import Refused, attempt, refused_form
from marketplace.spreadsheets import BOM, safe_cell


def _paginate(request: HttpRequest, items) -> Page:
    # get_page clamps bad or out-of-range numbers to a real page instead of failing.
    return Paginator(items, settings.DEALS_PAGE_SIZE).get_page(request.GET.get("page"))


def _posted(request: HttpRequest):
    """The POSTed data, or None on GET: an empty POST is still a submission (to validate)."""
    return request.POST if request.method == "POST" else None


# --- Access helpers -----------------------------------------------------------------------------


def _get_listing_for_interest(
    request: HttpRequest, kind: str, pk: int
) -> tuple[Listing, InterestOptions]:
    """The listing if the user may see it (404 otherwise), and what they may do about it
    (``interest_options``)."""
    model = model_or_404(kind)
    listing = get_object_or_404(model.objects.select_related("organization"), pk=pk)
    if not listing_access(request.user, listing).can_view:
        raise Http404
    return listing, selectors.interest_options(request.user, listing)


def _get_match_for_interest(
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


def _get_interest_for_party(request: HttpRequest, pk: int) -> tuple[Interest, InterestActions]:
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


def _get_interest_for_owner(request: HttpRequest, pk: int) -> tuple[Interest, InterestActions]:
    """The interest, for the organisation that answers it (403 for the other side and
    moderators); an answer the state refuses is left to the service to say."""
    interest, actions = _get_interest_for_party(request, pk)
    if actions.answer.forbidden:
        raise PermissionDenied(actions.answer.reason)
    return interest, actions


def _get_conversation_for_party(
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


def _get_membership_organization(request: HttpRequest):
    organization = selectors.organization_of(request.user)
    if organization is None:
        raise PermissionDenied(_("You need to be an active member of an organisation."))
    return organization


# --- Interest -----------------------------------------------------------------------------------


@login_required
def interest_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    listing, options = _get_listing_for_interest(request, kind, pk)
    existing = options.open_interest
    if existing is not None:
        messages.info(request, options.express.reason)
        if existing.status == InterestStatus.ACCEPTED and hasattr(existing, "conversation"):
            return redirect(existing.conversation)
        return redirect(existing)
    if not options.express:
        raise PermissionDenied(options.express.reason)
    match = _get_match_for_interest(request, listing, options.organization)
    form = InterestForm(_posted(request))
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
    status = request.GET.get("status", "")
    if status not in InterestStatus.values:
        status = ""
    of = selectors.interests_received if box == "received" else selectors.interests_sent
    counts = selectors.status_counts(of(organization))
    page = _paginate(request, of(organization, status))
    return render(
        request,
        "deals/interest_list.html",
        {
            "box": box,
            "organization": organization,
            "status": status,
            "statuses": [(s, label, counts.get(s, 0)) for s, label in InterestStatus.choices],
            "total": sum(counts.values()),
            "page": page,
            "query": f"status={status}" if status else "",
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
    interest, actions = _get_interest_for_party(request, pk)
    return render(
        request,
        "deals/interest_detail.html",
        {
            "interest": interest,
            "listing": interest.listing,
            "side": actions.side,
            "actions": actions,
        },
    )


@login_required
@require_POST
def interest_accept(request: HttpRequest, pk: int) -> HttpResponse:
    interest, _actions = _get_interest_for_owner(request, pk)
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
    interest, actions = _get_interest_for_owner(request, pk)
    form = DeclineForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        attempt(
            request,
            services.interest_decline,
            _("Interest declined. We told %(org)s.")
            % {"org": interest.sender_organization.display_name},
            interest=interest,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        return redirect(interest)
    return render(
        request,
        "deals/interest_decline.html",
        {"interest": interest, "listing": interest.listing, "form": form, "actions": actions},
        status=400 if form.is_bound else 200,
    )


# --- Conversations ------------------------------------------------------------------------------


@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    organization = selectors.organization_of(request.user)
    if organization is None:
        return organization_none(request)
    page = _paginate(request, selectors.conversations_of(organization, request.user))
    return render(
        request, "deals/conversation_list.html", {"organization": organization, "page": page}
    )


def _render_conversation(
    request: HttpRequest,
    conversation: Conversation,
    actions: DealActions,
    *,
    message_form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    deal = conversation.deal
    listing = conversation.interest.listing
    thread = selectors.conversation_messages(conversation)
    unread_ids: set[int] = set()
    if actions.side != MODERATOR:
        # Shown once as new (marked on the page), then read up to the newest one shown.
        read_mark = selectors.read_mark(conversation, request.user)
        unread_ids = {
            m.pk
            for m in thread
            if m.sender_id != request.user.pk and (read_mark is None or m.created_at > read_mark)
        }
        if thread:  # also marks read the notifications that led here
            services.conversation_read(
                conversation=conversation, user=request.user, until=thread[-1].created_at
            )
    return render(
        request,
        "deals/conversation_detail.html",
        {
            "conversation": conversation,
            "interest": conversation.interest,
            "listing": listing,
            "deal": deal,
            "side": actions.side,
            "actions": actions,
            "thread": thread,
            "unread_ids": unread_ids,
            "nda": getattr(conversation, "nda", None),
            "events": deal.events.select_related("actor").order_by("created_at", "pk"),
            "contract": getattr(deal, "contract", None),
            "listing_files": attachments_visible(request.user, listing),
            "message_form": message_form or MessageForm(),
        },
        status=status,
    )


@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = _get_conversation_for_party(request, pk)
    return _render_conversation(request, conversation, actions)


@login_required
@require_POST
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = _get_conversation_for_party(request, pk, write=True)
    form = MessageForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            services.message_send(
                conversation=conversation,
                user=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except Refused as refusal:
            status = refused_form(form, refusal)
        else:
            return redirect(f"{conversation.get_absolute_url()}#latest")
    return _render_conversation(request, conversation, actions, message_form=form, status=status)


@login_required
def message_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(MessageAttachment.objects.select_related("message"), pk=pk)
    # The same door as the conversation's: its two organisations, and moderators.
    _get_conversation_for_party(request, attachment.message.conversation_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- The NDA and the deal -----------------------------------------------------------------------


@login_required
def nda_accept(request: HttpRequest, pk: int) -> HttpResponse:
    posted = request.method == "POST"
    conversation, actions = _get_conversation_for_party(request, pk, write=posted)
    terms = selectors.nda_terms(conversation)
    digest = selectors.nda_digest(terms)
    form = NdaForm(_posted(request), initial={"digest": digest})
    if posted and form.is_valid():
        # A refusal (accepted already, terms changed, deal closed) is a message there.
        attempt(
            request,
            services.nda_accept,
            _("NDA accepted. The listing's confidential details and files are open to you."),
            conversation=conversation,
            user=request.user,
            digest=form.cleaned_data["digest"],
        )
        return redirect(conversation)
    return render(
        request,
        "deals/nda_form.html",
        {
            "conversation": conversation,
            "listing": conversation.interest.listing,
            "side": actions.side,
            "actions": actions,
            "terms": terms,
            "nda": getattr(conversation, "nda", None),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def deal_advance(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = _get_conversation_for_party(request, pk, write=True)
    deal = conversation.deal
    form = AdvanceForm(request.POST, stages=actions.stages)
    if not form.is_valid():
        messages.error(
            request,
            actions.advance_to(request.POST.get("to_stage", "")).reason
            if "to_stage" in form.errors
            else " ".join(e for errors in form.errors.values() for e in errors),
        )
        return redirect(conversation)
    attempt(
        request,
        services.deal_advance,
        _("The deal moved on."),
        deal=deal,
        user=request.user,
        to_stage=form.cleaned_data["to_stage"],
        note=form.cleaned_data["note"],
    )
    return redirect(conversation)


@login_required
def deal_close_lost(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = _get_conversation_for_party(request, pk, write=True)
    form = LoseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        attempt(
            request,
            services.deal_close_lost,
            _("The deal was closed as lost."),
            deal=conversation.deal,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        return redirect(conversation)
    return render(
        request,
        "deals/deal_lose.html",
        {
            "conversation": conversation,
            "deal": conversation.deal,
            "form": form,
            "actions": actions,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def deal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, _actions = _get_conversation_for_party(request, pk, write=True)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(conversation)
    attempt(
        request,
        services.deal_reopen,
        _("The deal was reopened."),
        deal=conversation.deal,
        user=request.user,
        note=form.cleaned_data["note"],
    )
    return redirect(conversation)


@login_required
def contract_record(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = _get_conversation_for_party(request, pk, write=True)
    deal = conversation.deal
    form = ContractForm(_posted(request), initial={"signed_on": timezone.localdate()})
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_record(deal=deal, user=request.user, **form.cleaned_data)
        except Refused as refusal:
            status = refused_form(form, refusal)
        else:
            messages.success(request, _("Contract recorded: the deal is signed. Congratulations!"))
            return redirect(conversation)
    return render(
        request,
        "deals/contract_form.html",
        {"conversation": conversation, "deal": deal, "form": form, "actions": actions},
        status=status,
    )


# --- Contracts export ---------------------------------------------------------------------------


@login_required
def contract_export(request: HttpRequest) -> HttpResponse:
    """The organisation's signed contracts as CSV for technology-contract registration:
    UTF-8 with a byte-order mark, so that Excel reads the Chinese right."""
    organization = _get_membership_organization(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"keqiao-contracts-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Deal ID"),
            _("Contract type"),
            _("Contract value"),
            _("Currency"),
            _("Signed on"),
            _("Technology provider"),
            _("Provider's region"),
            _("Client"),
            _("Client's region"),
            _("Listing"),
            _("Listing title"),
            _("Listing address"),
            _("Recorded by"),
        ]
    )
    for contract in selectors.contracts_of(organization):
        conversation = contract.deal.conversation
        listing = conversation.interest.listing
        # An achievement's owner provides the technology; a challenge's owner is the client.
        provider, client = conversation.owner_organization, conversation.other_organization
        if listing.kind == ListingKind.CHALLENGE:
            provider, client = client, provider
        writer.writerow(
            [
                safe_cell(contract.deal_id),
                safe_cell(contract.get_contract_type_display()),
                safe_cell(contract.value),
                safe_cell(contract.currency),
                safe_cell(contract.signed_on.isoformat()),
                safe_cell(provider.name),
                safe_cell(provider.get_region_display()),
                safe_cell(client.name),
                safe_cell(client.get_region_display()),
                safe_cell(listing.kind_label),
                safe_cell(listing.title),
                safe_cell(settings.SITE_URL + listing.get_absolute_url()),
                safe_cell(contract.recorded_by.full_name if contract.recorded_by else ""),
            ]
        )
    return response

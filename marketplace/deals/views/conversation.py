"""Pages of conversations: the inbox, a conversation, sending a message, its files."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.views import organization_none
from marketplace.deals import selectors, services
from marketplace.deals.choices import DealStage
from marketplace.deals.filters import ConversationFilterSet
from marketplace.deals.forms import MessageForm
from marketplace.deals.models import Conversation, MessageAttachment
from marketplace.deals.selectors import MODERATOR, DealActions
from marketplace.deals.services import MAX_FILES_PER_MESSAGE
from marketplace.deals.views.access import get_conversation_for_party
from marketplace.filtering import filter_leniently
from marketplace.limits import rate_limited
from marketplace.listings.selectors import attachments_visible
from marketplace.pagination import paginate
from marketplace.refusals import Refused, refused_form
from marketplace.uploads.downloads import attachment_response
from marketplace.uploads.limits import accepts_uploads


@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    organization = selectors.organization_of(request.user)
    if organization is None:
        return organization_none(request)
    conversations = selectors.conversations_of(organization, request.user)
    filtered = filter_leniently(ConversationFilterSet, request.GET, queryset=conversations)
    counts = selectors.stage_counts(organization)
    return render(
        request,
        "deals/conversation_list.html",
        {
            "organization": organization,
            "stage": filtered.values["stage"],
            "stages": [(s, label, counts.get(s, 0)) for s, label in DealStage.choices],
            "total": sum(counts.values()),
            "page": paginate(request, filtered.qs, settings.DEALS_PAGE_SIZE),
            "query": filtered.query,
            "ignored": filtered.ignored,
        },
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
    conversation, actions = get_conversation_for_party(request, pk)
    return _render_conversation(request, conversation, actions)


@login_required
@require_POST
@rate_limited("message")
@accepts_uploads(max_files=MAX_FILES_PER_MESSAGE)
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = get_conversation_for_party(request, pk, write=True)
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
    get_conversation_for_party(request, attachment.message.conversation_id)
    return attachment_response(
        attachment.file, filename=attachment.filename, content_type=attachment.content_type
    )

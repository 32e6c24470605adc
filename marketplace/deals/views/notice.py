"""The price notices (公示): announcing an agreed price in a deal, the public list and page
of each notice, and objections to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.deals import services
from marketplace.deals.forms import ObjectionForm, PriceAnnounceForm
from marketplace.deals.selectors import notices
from marketplace.deals.views.access import get_conversation_for_party, posted
from marketplace.pagination import paginate
from marketplace.refusals import Refused, refused_form

NOTICES_PER_PAGE = 20


@login_required
@require_POST
def price_announce(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = get_conversation_for_party(request, pk, write=True)
    form = PriceAnnounceForm(request.POST)
    if form.is_valid():
        try:
            services.price_announce(deal=conversation.deal, user=request.user, **form.cleaned_data)
        except Refused as refusal:
            status = refused_form(form, refusal)
        else:
            messages.success(request, _("The agreed price is now under public notice."))
            return redirect(conversation)
    else:
        status = 400
    return render(
        request,
        "deals/price_announce.html",
        {"conversation": conversation, "actions": actions, "form": form},
        status=status,
    )


def notice_list(request: HttpRequest) -> HttpResponse:
    """Public: every price notice, the running ones first."""
    page = paginate(request, notices.price_notices().order_by("-ends_at", "-pk"), NOTICES_PER_PAGE)
    return render(request, "deals/notice_list.html", {"page": page})


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: one notice; signed-in users object here; the owner and moderators read the
    objections."""
    notice = get_object_or_404(notices.price_notices(), pk=pk)
    may_object = notices.objection_verdict(request.user, notice)
    form = ObjectionForm(posted(request))
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        status = 400
        if form.is_valid():
            try:
                services.price_object(notice=notice, user=request.user, **form.cleaned_data)
            except Refused as refusal:
                status = refused_form(form, refusal)
            else:
                messages.success(request, _("Your objection was filed."))
                return redirect(notice)
    readable = notices.can_read_objections(request.user, notice)
    return render(
        request,
        "deals/notice_detail.html",
        {
            "notice": notice,
            "conversation": notice.deal.conversation,
            "may_object": may_object,
            "form": form,
            "objections": notice.objections.select_related("user") if readable else None,
        },
        status=status,
    )

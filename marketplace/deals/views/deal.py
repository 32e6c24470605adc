"""Moving a deal: forward, closed as lost, reopened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.deals import services
from marketplace.deals.forms import AdvanceForm, LoseForm, ReopenForm
from marketplace.deals.views.access import get_conversation_for_party, posted
from marketplace.refusals import attempt


@login_required
@require_POST
def deal_advance(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = get_conversation_for_party(request, pk, write=True)
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
    conversation, actions = get_conversation_for_party(request, pk, write=True)
    form = LoseForm(posted(request))
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
    conversation, _actions = get_conversation_for_party(request, pk, write=True)
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

"""The NDA page: the terms offered, accepting them, what was accepted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from marketplace.deals import selectors, services
from marketplace.deals.forms import NdaForm
from marketplace.deals.views.access import get_conversation_for_party, posted
from marketplace.refusals import attempt


@login_required
def nda_accept(request: HttpRequest, pk: int) -> HttpResponse:
    submitted = request.method == "POST"
    conversation, actions = get_conversation_for_party(request, pk, write=submitted)
    terms = selectors.nda_terms(conversation)
    digest = selectors.nda_digest(terms)
    form = NdaForm(posted(request), initial={"digest": digest})
    if submitted and form.is_valid():
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

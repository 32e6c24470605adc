"""Recording the signed contract, and exporting an organisation's contracts as CSV."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from marketplace.deals import selectors, services
from marketplace.deals.forms import ContractForm
from marketplace.deals.views.access import (
    get_conversation_for_party,
    get_membership_organization,
    posted,
)
from marketplace.listings.choices import ListingKind
from marketplace.refusals import Refused, refused_form
from marketplace.spreadsheets import BOM, safe_cell


@login_required
def contract_record(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, actions = get_conversation_for_party(request, pk, write=True)
    deal = conversation.deal
    form = ContractForm(posted(request), initial={"signed_on": timezone.localdate()})
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


@login_required
def contract_export(request: HttpRequest) -> HttpResponse:
    """The organisation's signed contracts as CSV for technology-contract registration:
    UTF-8 with a byte-order mark, so that Excel reads the Chinese right."""
    organization = get_membership_organization(request)
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

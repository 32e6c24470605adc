"""Recording the signed contract, completing and printing its registration sheet, and
exporting an organisation's contracts in the registration layout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from marketplace.deals import selectors, services
from marketplace.deals.forms import ContractForm, ContractRegistrationForm
from marketplace.deals.models import Contract
from marketplace.deals.registration_pdf import registration_pdf
from marketplace.deals.views.access import (
    get_conversation_for_party,
    get_membership_organization,
    posted,
)
from marketplace.refusals import Refused, refused_form
from marketplace.spreadsheets import FORMATS, table_response


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


def _get_contract_for_party(request: HttpRequest, pk: int, *, write: bool = False):
    """The contract of a conversation's deal, for its parties (and moderators, who read)."""
    conversation, actions = get_conversation_for_party(request, pk, write=write)
    contract = Contract.objects.filter(deal__conversation=conversation).first()
    if contract is None:
        raise Http404(_("This deal has no signed contract yet."))
    return conversation, actions, contract


@login_required
def contract_registration(request: HttpRequest, pk: int) -> HttpResponse:
    """The registration sheet of the contract, to print, and the form that completes it."""
    write = request.method == "POST"
    conversation, actions, contract = _get_contract_for_party(request, pk, write=write)
    form = ContractRegistrationForm(
        posted(request),
        initial={name: getattr(contract, name) for name in services.REGISTRATION},
    )
    status = 400 if form.is_bound else 200
    if write and form.is_valid():
        try:
            services.contract_update_registration(
                contract=contract, user=request.user, **form.cleaned_data
            )
        except Refused as refusal:
            status = refused_form(form, refusal)
        else:
            messages.success(request, _("The registration details were saved."))
            return redirect("deals:contract_registration", pk)
    registration = selectors.contract_registration(
        selectors.registration_contracts().get(pk=contract.pk)
    )
    return render(
        request,
        "deals/contract_registration.html",
        {
            "conversation": conversation,
            "actions": actions,
            "registration": registration,
            "form": form,
        },
        status=status,
    )


@login_required
def contract_registration_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _conversation, _actions, contract = _get_contract_for_party(request, pk)
    registration = selectors.contract_registration(
        selectors.registration_contracts().get(pk=contract.pk)
    )
    response = HttpResponse(registration_pdf(registration), content_type="application/pdf")
    filename = f"keqiao-contract-{contract.pk}-registration.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def contract_export(request: HttpRequest, fmt: str = "csv") -> HttpResponse:
    """The organisation's signed contracts in the registration layout (CSV or XLSX), one row
    per contract, latest signed first."""
    organization = get_membership_organization(request)
    if fmt not in FORMATS:
        raise Http404
    contracts = selectors.registration_contracts().filter(
        pk__in=selectors.contracts_of(organization).values("pk")
    )
    headers, rows = selectors.registration_table(contracts.order_by("-signed_on", "-pk"))
    filename = f"keqiao-contracts-{timezone.localdate():%Y%m%d}.{fmt}"
    return table_response(headers, rows, fmt=fmt, filename=filename)

"""Recording the technology contract that signs a deal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from marketplace.deals.choices import ContractType, Currency, DealStage
from marketplace.deals.models import Contract, Deal
from marketplace.deals.selectors import deal_actions
from marketplace.deals.services.deal import lock_deal, move_deal
from marketplace.outbox.services import event_record
from marketplace.refusals import Refused

S = DealStage


def contract_record(
    *,
    deal: Deal,
    user: User,
    contract_type: str,
    value: Decimal,
    currency: str,
    signed_on,
    note: str = "",
    **registration: Any,
) -> Contract:
    """Record the technology contract of an open deal and mark the deal signed, in one
    transaction: type (one of the four registered types), value ≥ 0, currency, a signing
    date that is not in the future, and what its registration asks (``REGISTRATION``, all
    optional; the name and field default to the listing's)."""
    note = (note or "").strip()
    with transaction.atomic():
        deal = lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.record_contract.check()
        if contract_type not in ContractType.values:
            raise Refused.bad_input(
                contract_type=_("Choose one of the four types of technology contract.")
            )
        if currency not in Currency.values:
            raise Refused.bad_input(currency=_("Choose a currency."))
        if value is None or Decimal(value) < 0:
            raise Refused.bad_input(value=_("The contract value cannot be negative."))
        if signed_on is None or signed_on > timezone.localdate():
            raise Refused.bad_input(signed_on=_("The signing date cannot be in the future."))
        listing = deal.conversation.interest.listing
        contract = Contract(
            deal=deal,
            contract_type=contract_type,
            value=value,
            currency=currency,
            signed_on=signed_on,
            recorded_by=user,
            title=listing.title[:200],
            technical_field=listing.fields.order_by("code").first(),
        )
        _set_registration(contract, registration)
        contract.save()
        move_deal(
            deal, to=S.CONTRACT_SIGNED, user=user, note=note, organization=actions.organization
        )
        # Rooms above act on the signing after commit (the broker ledger's attribution).
        event_record(kind="deal.signed", payload={"deal": deal.pk})
    return contract


# What the registration of technology contracts asks beyond type, value and date; either
# party fills it in when recording the contract or later.
REGISTRATION = (
    "title",
    "number",
    "technology_income",
    "valid_from",
    "valid_until",
    "technical_field",
)


def _set_registration(contract: Contract, data: dict[str, Any]) -> None:
    """Set the registration fields given, refusing what does not add up."""
    unknown = set(data) - set(REGISTRATION)
    if unknown:
        raise TypeError(f"not registration fields: {sorted(unknown)}")
    for name, value in data.items():
        if name in ("title", "number"):
            value = (value or "").strip()
        if name == "title" and not value:
            continue  # the name stays what it was (the listing's title at first)
        setattr(contract, name, value)
    income = contract.technology_income
    if income is not None and not (0 <= Decimal(income) <= Decimal(contract.value)):
        raise Refused.bad_input(
            technology_income=_(
                "The technology income is part of the contract value: between 0 and %(value)s."
            )
            % {"value": contract.value}
        )
    if contract.valid_from and contract.valid_until and contract.valid_until < contract.valid_from:
        raise Refused.bad_input(valid_until=_("The contract cannot end before it starts."))


def contract_update_registration(
    *, contract: Contract, user: User, **registration: Any
) -> Contract:
    """Either party completes or corrects what the contract's registration asks."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        deal_actions(user, contract.deal.conversation).party.check()
        _set_registration(contract, registration)
        contract.save(update_fields=[*registration])
    return contract

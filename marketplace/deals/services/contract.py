"""Recording the technology contract that signs a deal."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from marketplace.deals.choices import ContractType, Currency, DealStage
from marketplace.deals.models import Contract, Deal
from marketplace.deals.selectors import deal_actions
from marketplace.deals.services.deal import lock_deal, move_deal
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
) -> Contract:
    """Record the technology contract of an open deal and mark the deal signed, in one
    transaction: type (one of the four registered types), value ≥ 0, currency, and a signing
    date that is not in the future."""
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
        contract = Contract.objects.create(
            deal=deal,
            contract_type=contract_type,
            value=value,
            currency=currency,
            signed_on=signed_on,
            recorded_by=user,
        )
        move_deal(
            deal, to=S.CONTRACT_SIGNED, user=user, note=note, organization=actions.organization
        )
    return contract

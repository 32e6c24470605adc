"""Outbox handlers of the broker ledger: a signed deal whose interest a centre assigned is
attributed to the broker (``Deal.brokered_by``), once the signing commits."""

from __future__ import annotations

from marketplace.brokers.services import deals_attribute
from marketplace.deals.models import Deal
from marketplace.outbox.handlers import register


@register("deal.signed")
def attribute_signed_deal(payload: dict) -> None:
    interest_id = (
        Deal.objects.filter(pk=payload["deal"])
        .values_list("conversation__interest_id", flat=True)
        .first()
    )
    if interest_id is not None:
        deals_attribute(interest_ids=[interest_id])

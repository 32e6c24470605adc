"""The public notice of an agreed price (公示, Art. 18) and the objections to it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from marketplace.deals.choices import Currency
from marketplace.deals.models import Deal, PriceNotice, PriceObjection
from marketplace.deals.selectors import deal_actions, members_to_tell
from marketplace.deals.selectors.notices import objection_verdict
from marketplace.deals.services.conversation import tell_other_side
from marketplace.deals.services.deal import lock_deal
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refusals import Refused


def price_announce(*, deal: Deal, user: User, price: Decimal, currency: str = "CNY") -> PriceNotice:
    """Announce the price the parties agreed: its public notice runs for
    ``settings.PRICE_NOTICE_DAYS`` days, and the contract is recorded only after it ends.
    Once per deal; the other organisation is told."""
    try:
        price = Decimal(price)
    except (InvalidOperation, TypeError, ValueError):
        raise Refused.bad_input(price=_("Enter the agreed price.")) from None
    with transaction.atomic():
        deal = lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.announce_price.check()
        if not price.is_finite() or price < 0:
            raise Refused.bad_input(price=_("The agreed price cannot be negative."))
        if currency not in Currency.values:
            raise Refused.bad_input(currency=_("Choose a currency."))
        now = timezone.now()
        notice = PriceNotice.objects.create(
            deal=deal,
            price=price,
            currency=currency,
            announced_by=user,
            announced_at=now,
            ends_at=now + timedelta(days=settings.PRICE_NOTICE_DAYS),
        )
        tell_other_side(
            deal.conversation,
            actions.organization,
            key=f"price_notice:{notice.pk}",
            template="price_announced",
            context={"notice": notice, "deal": deal},
        )
    return notice


def price_object(*, notice: PriceNotice, user: User, reason: str) -> PriceObjection:
    """File an objection to a running notice; the listing's owners are told."""
    reason = (reason or "").strip()
    with transaction.atomic():
        notice = (
            PriceNotice.objects.select_for_update(of=("self",))
            .select_related("deal__conversation__owner_organization")
            .get(pk=notice.pk)
        )
        objection_verdict(user, notice).check()
        if not reason:
            raise Refused.bad_input(reason=_("Say why you object to this price."))
        if len(reason) > 4000:
            raise Refused.bad_input(reason=_("Keep the reason under 4,000 characters."))
        objection = PriceObjection.objects.create(notice=notice, user=user, reason=reason)
        notify(
            users=members_to_tell(notice.deal.conversation.owner_organization),
            kind=NotificationKind.INTEREST,
            link=notice.get_absolute_url(),
            key=f"price_objection:{objection.pk}",
            template="price_objection",
            context={"notice": notice, "objection": objection, "link": notice.get_absolute_url()},
        )
    return objection

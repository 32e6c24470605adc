"""Writes of the pricing routes: setting an achievement's route, accepting a listed price's
standard licence (recorded like a contract), bidding in an auction and closing it.

The deal that a listed price or an auction leads to is the deals room's: the same
``Interest`` → ``Conversation`` → ``Deal`` rows and ``DealEvent``s its services write, and
``move_deal`` for the signed step, so brokers, reports and webhooks see it like any other.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from accounts.selectors import active_membership
from marketplace.deals.choices import ContractType, DealStage, InterestPurpose, InterestStatus
from marketplace.deals.models import Contract, Conversation, Deal, DealEvent, Interest, Message
from marketplace.deals.selectors import members_to_tell
from marketplace.deals.services.deal import lock_deal, move_deal
from marketplace.listings.choices import PricingRoute
from marketplace.listings.models import Achievement
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify
from marketplace.pricing import selectors
from marketplace.pricing.models import Auction, Bid
from marketplace.refusals import Refused

S = DealStage


def _decimal(value, field: str, message) -> Decimal:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise Refused.bad_input(**{field: message}) from None
    if not number.is_finite() or number < 0:
        raise Refused.bad_input(**{field: message})
    return number


def _lock_achievement(achievement: Achievement) -> Achievement:
    return (
        Achievement.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=achievement.pk)
    )


def pricing_set_route(
    *,
    achievement: Achievement,
    user: User,
    route: str,
    listed_price: Decimal | None = None,
    start_price: Decimal | None = None,
    increment: Decimal | None = None,
    ends_at: datetime | None = None,
) -> Achievement:
    """The owner organisation chooses how the achievement is priced: agreed (the default),
    listed (``listed_price`` becomes its fixed asking price) or auction (start price,
    increment, end in the future). An auction with bids keeps its route and settings."""
    with transaction.atomic():
        achievement = _lock_achievement(achievement)
        membership = active_membership(user)
        if membership is None or membership.organization_id != achievement.organization_id:
            raise Refused.forbidden(_("Only the achievement's organisation sets its pricing."))
        if route not in PricingRoute.values:
            raise Refused.bad_input(route=_("Choose a pricing route."))
        auction = Auction.objects.select_for_update().filter(achievement=achievement).first()
        if auction is not None and auction.bids.exists():
            raise Refused(_("The auction has bids: its route and settings can no longer change."))
        fields = ["pricing_route", "updated_at"]
        if route == PricingRoute.LISTED:
            if listed_price is None:
                raise Refused.bad_input(listed_price=_("A listed price needs the price."))
            achievement.asking_price = _decimal(
                listed_price, "listed_price", _("The price cannot be negative.")
            )
            achievement.price_negotiable = False
            fields += ["asking_price", "price_negotiable"]
        if route == PricingRoute.AUCTION:
            if start_price is None:
                raise Refused.bad_input(start_price=_("An auction needs a start price."))
            start = _decimal(start_price, "start_price", _("The start price cannot be negative."))
            step = _decimal(increment, "increment", _("The increment must be more than zero."))
            if step <= 0:
                raise Refused.bad_input(increment=_("The increment must be more than zero."))
            if ends_at is None or ends_at <= timezone.now():
                raise Refused.bad_input(ends_at=_("The auction must end in the future."))
            if auction is None:
                Auction.objects.create(
                    achievement=achievement, start_price=start, increment=step, ends_at=ends_at
                )
            else:
                auction.start_price, auction.increment, auction.ends_at = start, step, ends_at
                auction.closed_at = None
                auction.save(update_fields=["start_price", "increment", "ends_at", "closed_at"])
        elif auction is not None:
            auction.delete()  # no bids (checked above): nothing to keep
        achievement.pricing_route = route
        achievement.save(update_fields=fields)
    return achievement


def _open_deal(
    *,
    achievement: Achievement,
    organization: Organization,
    user: User,
    message: str,
    stage: str,
    actor: User | None,
) -> Deal:
    """The interest (accepted at once), conversation and deal between the achievement's
    organisation and a buyer, with ``message`` as the conversation's first message."""
    now = timezone.now()
    interest = Interest.objects.create(
        achievement=achievement,
        sender_organization=organization,
        sender=user,
        purpose=InterestPurpose.LICENCE,
        message=message,
        status=InterestStatus.ACCEPTED,
        decided_at=now,
    )
    conversation = Conversation.objects.create(
        interest=interest,
        owner_organization=achievement.organization,
        other_organization=organization,
        last_message_at=now,
    )
    Message.objects.create(
        conversation=conversation, sender=user, sender_organization=organization, body=message
    )
    deal = Deal.objects.create(conversation=conversation, stage=stage)
    DealEvent.objects.create(deal=deal, from_stage="", to_stage=stage, actor=actor)
    return deal


def terms_accept(*, achievement: Achievement, user: User) -> Contract:
    """A verified enterprise accepts the listed price's standard non-exclusive licence:
    the interest, conversation and deal are opened and the contract recorded (a technology
    transfer contract at the listed price, signed today), the deal signed, in one
    transaction; the owner organisation is told."""
    with transaction.atomic():
        achievement = _lock_achievement(achievement)
        selectors.terms_verdict(user, achievement).check()
        organization = active_membership(user).organization
        text = selectors.licence_terms(achievement, organization)
        deal = _open_deal(
            achievement=achievement,
            organization=organization,
            user=user,
            message=text,
            stage=S.NEGOTIATING,
            actor=user,
        )
        deal = lock_deal(deal)
        contract = Contract.objects.create(
            deal=deal,
            contract_type=ContractType.TRANSFER,
            value=achievement.asking_price,
            signed_on=timezone.localdate(),
            recorded_by=user,
            title=achievement.title[:200],
            technical_field=achievement.fields.order_by("code").first(),
        )
        move_deal(
            deal,
            to=S.CONTRACT_SIGNED,
            user=user,
            note=str(_("Standard non-exclusive licence accepted at the listed price.")),
            organization=organization,
        )
    return contract


def bid_place(*, auction: Auction, user: User, amount) -> Bid:
    """A bid of at least the start price, or the highest bid plus the increment, before the
    end. The auction row is locked (SELECT … FOR UPDATE) before the highest bid is read, so
    of two bids at the same step one is accepted and the other refused."""
    amount = _decimal(amount, "amount", _("Enter an amount."))
    with transaction.atomic():
        auction = (
            Auction.objects.select_for_update(of=("self",))
            .select_related("achievement__organization")
            .get(pk=auction.pk)
        )
        selectors.bid_verdict(user, auction).check()
        minimum = selectors.minimum_bid(auction, selectors.highest_bid(auction))
        if amount < minimum:
            raise Refused.bad_input(
                amount=_("Bid at least %(minimum)s yuan.") % {"minimum": minimum}
            )
        organization = active_membership(user).organization
        bid = Bid.objects.create(
            auction=auction, organization=organization, user=user, amount=amount
        )
    return bid


def auction_close(*, auction: Auction) -> Auction:
    """Close an auction whose end has passed: the highest bid wins; the winner's members
    and the owner organisation's are told, and a deal is opened between them (at
    negotiating) where the contract is then recorded. Does nothing before the end or twice."""
    with transaction.atomic():
        auction = (
            Auction.objects.select_for_update(of=("self",))
            .select_related("achievement__organization")
            .get(pk=auction.pk)
        )
        if auction.closed_at is not None or auction.ends_at > timezone.now():
            return auction
        winner = selectors.highest_bid(auction)
        auction.closed_at = timezone.now()
        auction.winning_bid = winner
        auction.save(update_fields=["closed_at", "winning_bid"])
        achievement = auction.achievement
        link = achievement.get_absolute_url()
        if winner is not None:
            has_open = Interest.objects.filter(
                achievement=achievement,
                sender_organization=winner.organization,
                status__in=[InterestStatus.PENDING, InterestStatus.ACCEPTED],
            ).exists()
            if not has_open:
                text = str(
                    _("Winning bid in the auction of “%(title)s”: %(amount)s yuan.")
                    % {"title": achievement.title, "amount": winner.amount}
                )
                deal = _open_deal(
                    achievement=achievement,
                    organization=winner.organization,
                    user=winner.user,
                    message=text,
                    stage=S.NEGOTIATING,
                    actor=None,
                )
                link = deal.conversation.get_absolute_url()
            notify(
                users=members_to_tell(winner.organization),
                kind=NotificationKind.INTEREST,
                link=link,
                key=f"auction:{auction.pk}:won",
                template="auction_won",
                context={"auction": auction, "bid": winner, "listing": achievement, "link": link},
            )
        notify(
            users=members_to_tell(achievement.organization),
            kind=NotificationKind.INTEREST,
            link=link,
            key=f"auction:{auction.pk}:closed",
            template="auction_closed",
            context={"auction": auction, "bid": winner, "listing": achievement, "link": link},
        )
    return auction


def auctions_close() -> list[int]:
    """Close every auction whose end has passed (beat, every few minutes); safe to rerun."""
    due = Auction.objects.filter(closed_at__isnull=True, ends_at__lte=timezone.now())
    closed = []
    for auction in due.only("pk"):
        auction = auction_close(auction=auction)
        if auction.closed_at is not None:
            closed.append(auction.pk)
    return closed

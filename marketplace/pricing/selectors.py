"""What the pricing routes offer one person: accepting a listed price's terms, bidding in
an auction, setting the route; decided here for the pages and the services alike
(``Verdict``, as in ``deals.selectors.actions``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganizationKind
from accounts.models import Organization, User
from accounts.selectors import active_membership
from marketplace.deals.selectors import ALLOWED, Verdict, interest_options
from marketplace.listings.choices import ListingStatus, PricingRoute
from marketplace.listings.models import Achievement
from marketplace.pricing.models import Auction, Bid
from marketplace.refusals import Refused


def _forbidden(reason) -> Verdict:
    return Verdict(False, reason, Refused.FORBIDDEN)


def _conflict(reason) -> Verdict:
    return Verdict(False, reason, Refused.CONFLICT)


def _buyer(user: User, achievement: Achievement) -> tuple[Organization | None, Verdict]:
    """The user's organisation if it may buy or bid: an active member of a verified
    enterprise that does not own the achievement."""
    membership = active_membership(user)
    if membership is None:
        return None, _forbidden(_("You need to be an active member of an organisation."))
    organization = membership.organization
    if organization.pk == achievement.organization_id:
        return organization, _forbidden(_("This is your own organisation's listing."))
    if organization.kind != OrganizationKind.ENTERPRISE or not organization.is_verified:
        return organization, _forbidden(_("Only a verified enterprise can do this."))
    return organization, ALLOWED


def terms_verdict(user: User, achievement: Achievement) -> Verdict:
    """Whether the user's organisation may accept the listed price's standard terms now."""
    _organization, verdict = _buyer(user, achievement)
    if not verdict:
        return verdict
    if achievement.pricing_route != PricingRoute.LISTED:
        return _conflict(_("This achievement is not offered at a listed price."))
    if achievement.status != ListingStatus.PUBLISHED:
        return _conflict(_("Only a published achievement can be bought."))
    # One open interest per organisation and listing: a deal under way is continued there.
    return interest_options(user, achievement).express


def licence_terms(achievement: Achievement, organization: Organization | None) -> str:
    """The standard non-exclusive licence, filled in: the exact text accepted is kept."""
    return render_to_string(
        "pricing/licence_standard.txt",
        {"achievement": achievement, "licensee": organization, "price": achievement.asking_price},
    ).strip()


@dataclass(frozen=True)
class AuctionState:
    """An auction as one person sees it: the highest bid, the least next bid, whether it is
    over, and whether they may bid (``bid``, with why not)."""

    auction: Auction
    highest: Bid | None
    minimum: Decimal
    over: bool
    bid: Verdict


def highest_bid(auction: Auction) -> Bid | None:
    return auction.bids.select_related("organization").order_by("-amount", "pk").first()


def minimum_bid(auction: Auction, highest: Bid | None) -> Decimal:
    return auction.start_price if highest is None else highest.amount + auction.increment


def auction_over(auction: Auction) -> bool:
    return auction.closed_at is not None or auction.ends_at <= timezone.now()


def bid_verdict(user: User, auction: Auction) -> Verdict:
    """A verified enterprise other than the owner bids in a running auction of a published
    achievement on the auction route."""
    achievement = auction.achievement
    _organization, verdict = _buyer(user, achievement)
    if not verdict:
        return verdict
    if achievement.pricing_route != PricingRoute.AUCTION:
        return _conflict(_("This achievement is not offered by auction."))
    if achievement.status != ListingStatus.PUBLISHED:
        return _conflict(_("Only a published achievement can be bid on."))
    if auction_over(auction):
        return _conflict(_("The auction has ended."))
    return ALLOWED


def auction_state(user: User, auction: Auction) -> AuctionState:
    highest = highest_bid(auction)
    return AuctionState(
        auction,
        highest,
        minimum_bid(auction, highest),
        auction_over(auction),
        bid_verdict(user, auction),
    )


def auction_of(achievement: Achievement) -> Auction | None:
    return Auction.objects.select_related("achievement").filter(achievement=achievement).first()


def auction_bids(auction: Auction):
    return auction.bids.select_related("organization").order_by("-amount", "pk")


def bid_count(auction: Auction) -> int:
    return auction.bids.count()


def top_amount(auction: Auction) -> Decimal | None:
    return auction.bids.aggregate(top=Max("amount"))["top"]

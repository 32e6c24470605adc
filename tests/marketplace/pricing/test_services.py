"""The pricing routes' services: each transition and each refusal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.deals.models import Contract, Deal, Interest
from marketplace.listings.models import Achievement
from marketplace.notifications.models import Notification
from marketplace.pricing import services
from marketplace.pricing.models import Auction, Bid
from marketplace.pricing.tasks import auctions_close
from marketplace.refusals import Refused

from .conftest import end

pytestmark = pytest.mark.django_db


def _refused(status, call, **kw):
    with pytest.raises(Refused) as refused:
        call(**kw)
    assert refused.value.status == status, refused.value
    return refused.value


# --- Setting the route ----------------------------------------------------------------------------


def test_agreed_is_the_default(achievement):
    assert achievement.pricing_route == "agreed"


def test_listed_route_fixes_the_asking_price(listed):
    listed.refresh_from_db()
    assert (listed.pricing_route, listed.asking_price, listed.price_negotiable) == (
        "listed",
        Decimal("300000"),
        False,
    )


def test_auction_route_creates_its_settings(auction):
    assert (auction.start_price, auction.increment) == (Decimal("1000"), Decimal("10"))
    assert auction.achievement.pricing_route == "auction"


def test_leaving_an_auction_without_bids_drops_it(auction, uni_user):
    services.pricing_set_route(achievement=auction.achievement, user=uni_user, route="agreed")
    assert not Auction.objects.exists()


def test_an_auction_with_bids_keeps_its_route(auction, uni_user, ent_user):
    services.bid_place(auction=auction, user=ent_user, amount=Decimal("1000"))
    _refused(
        409,
        services.pricing_set_route,
        achievement=auction.achievement,
        user=uni_user,
        route="agreed",
    )
    assert Achievement.objects.get().pricing_route == "auction"


@pytest.mark.parametrize("who", ["ent_user", "outsider", "moderator"])
def test_only_the_owner_sets_the_route(achievement, who, request):
    _refused(
        403,
        services.pricing_set_route,
        achievement=achievement,
        user=request.getfixturevalue(who),
        route="listed",
        listed_price=Decimal(1),
    )
    assert Achievement.objects.get().pricing_route == "agreed"


@pytest.mark.parametrize(
    "data",
    [
        {"route": "barter"},
        {"route": "listed"},
        {"route": "listed", "listed_price": Decimal("-1")},
        {"route": "auction"},
        {"route": "auction", "start_price": Decimal(1), "increment": Decimal(0)},
        {"route": "auction", "start_price": Decimal(1), "increment": Decimal(1)},
        {
            "route": "auction",
            "start_price": Decimal(1),
            "increment": Decimal(1),
            "ends_at": timezone.now() - timedelta(hours=1),
        },
    ],
)
def test_bad_route_settings_are_refused(achievement, uni_user, data):
    _refused(400, services.pricing_set_route, achievement=achievement, user=uni_user, **data)
    assert Achievement.objects.get().pricing_route == "agreed"
    assert not Auction.objects.exists()


# --- Listed price: accepting the standard licence ---------------------------------------------


def test_accepting_the_terms_records_the_contract_and_signs_the_deal(listed, ent_user, uni_user):
    contract = services.terms_accept(achievement=listed, user=ent_user)
    assert (contract.contract_type, contract.value) == ("transfer", Decimal("300000"))
    assert contract.signed_on == timezone.localdate()
    deal = contract.deal
    assert deal.stage == "contract_signed"
    conversation = deal.conversation
    assert conversation.owner_organization == listed.organization
    assert conversation.other_organization == ent_user.membership.organization
    assert conversation.interest.status == "accepted"
    # The exact licence text accepted is the conversation's first message.
    body = conversation.messages.get().body
    assert "NON-EXCLUSIVE" in body and ent_user.membership.organization.display_name in body
    assert [e.to_stage for e in deal.events.order_by("pk")] == ["negotiating", "contract_signed"]
    assert Notification.objects.filter(recipient=uni_user).exists()


def test_accepting_twice_is_refused(listed, ent_user):
    services.terms_accept(achievement=listed, user=ent_user)
    _refused(409, services.terms_accept, achievement=listed, user=ent_user)
    assert Contract.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["uni_user", "unverified_user", "outsider", "moderator", "other_university_user"]
)
def test_only_a_verified_enterprise_accepts(listed, who, request):
    _refused(403, services.terms_accept, achievement=listed, user=request.getfixturevalue(who))
    assert not Contract.objects.exists() and not Interest.objects.exists()


def test_terms_of_an_agreed_price_or_unpublished_listing_are_refused(achievement, listed, ent_user):
    Achievement.objects.filter(pk=listed.pk).update(status="archived")
    listed.refresh_from_db()
    _refused(409, services.terms_accept, achievement=listed, user=ent_user)
    Achievement.objects.filter(pk=listed.pk).update(status="published", pricing_route="agreed")
    listed.refresh_from_db()
    _refused(409, services.terms_accept, achievement=listed, user=ent_user)
    assert not Contract.objects.exists()


# --- Auction: bids -------------------------------------------------------------------------------


def test_bids_climb_by_the_increment(auction, ent_user, rival):
    services.bid_place(auction=auction, user=ent_user, amount=Decimal("1000"))
    _refused(400, services.bid_place, auction=auction, user=rival, amount=Decimal("1009.99"))
    services.bid_place(auction=auction, user=rival, amount=Decimal("1010"))
    services.bid_place(auction=auction, user=ent_user, amount=Decimal("2000"))
    assert list(Bid.objects.values_list("amount", flat=True)) == [
        Decimal("2000"),
        Decimal("1010"),
        Decimal("1000"),
    ]


def test_a_first_bid_below_the_start_price_is_refused(auction, ent_user):
    refusal = _refused(400, services.bid_place, auction=auction, user=ent_user, amount="999")
    assert "1000" in str(refusal.fields["amount"])


@pytest.mark.parametrize("amount", ["", "abc", "-5", "NaN"])
def test_a_bad_amount_is_refused(auction, ent_user, amount):
    _refused(400, services.bid_place, auction=auction, user=ent_user, amount=amount)
    assert not Bid.objects.exists()


@pytest.mark.parametrize(
    "who", ["uni_user", "unverified_user", "outsider", "moderator", "other_university_user"]
)
def test_only_verified_enterprises_other_than_the_owner_bid(auction, who, request):
    _refused(
        403, services.bid_place, auction=auction, user=request.getfixturevalue(who), amount=5000
    )
    assert not Bid.objects.exists()


def test_no_bid_after_the_end(auction, ent_user):
    end(auction)
    _refused(409, services.bid_place, auction=auction, user=ent_user, amount=5000)


def test_no_bid_on_an_unpublished_achievement(auction, ent_user):
    Achievement.objects.filter(pk=auction.achievement_id).update(status="archived")
    auction.refresh_from_db()
    _refused(409, services.bid_place, auction=auction, user=ent_user, amount=5000)


# --- Auction: the close ---------------------------------------------------------------------------


def test_the_highest_bid_wins_and_both_sides_are_told(auction, ent_user, rival, uni_user):
    services.bid_place(auction=auction, user=ent_user, amount=Decimal("1000"))
    services.bid_place(auction=auction, user=rival, amount=Decimal("1500"))
    end(auction)
    assert auctions_close() == [auction.pk]
    auction.refresh_from_db()
    assert auction.closed_at is not None and auction.winning_bid.amount == Decimal("1500")
    deal = Deal.objects.get()
    assert deal.conversation.other_organization == rival.membership.organization
    assert deal.stage == "negotiating"
    assert Notification.objects.filter(recipient=rival, key=f"auction:{auction.pk}:won").exists()
    assert Notification.objects.filter(
        recipient=uni_user, key=f"auction:{auction.pk}:closed"
    ).exists()
    assert not Notification.objects.filter(recipient=ent_user).exists()
    # Twice: nothing more.
    assert auctions_close() == []
    services.auction_close(auction=auction)
    assert Deal.objects.count() == 1


def test_an_auction_is_not_closed_before_its_end(auction, ent_user):
    services.bid_place(auction=auction, user=ent_user, amount=Decimal("1000"))
    services.auction_close(auction=auction)
    auction.refresh_from_db()
    assert auction.closed_at is None and auction.winning_bid is None
    assert auctions_close() == []


def test_an_auction_without_bids_closes_without_winner(auction, uni_user):
    end(auction)
    services.auction_close(auction=auction)
    auction.refresh_from_db()
    assert auction.closed_at is not None and auction.winning_bid is None
    assert not Deal.objects.exists()
    assert Notification.objects.filter(recipient=uni_user).exists()


def test_a_winner_with_an_open_interest_keeps_its_conversation(auction, ent_user, university):
    from marketplace.deals.services import interest_express

    interest_express(listing=auction.achievement, user=ent_user, purpose="licence", message="Hi")
    services.bid_place(auction=auction, user=ent_user, amount=Decimal("1000"))
    end(auction)
    services.auction_close(auction=auction)
    assert Interest.objects.count() == 1  # no second interest; the winner is still told
    assert Notification.objects.filter(recipient=ent_user).exists()


def test_a_listed_price_cannot_be_made_negotiable_by_editing(listed, uni_user):
    from marketplace.listings.services import listing_update

    _refused(
        400,
        listing_update,
        listing=listed,
        user=uni_user,
        data={"price_negotiable": True, "asking_price": None},
    )
    listed.refresh_from_db()
    assert (listed.price_negotiable, listed.asking_price) == (False, Decimal("300000"))

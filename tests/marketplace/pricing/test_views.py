"""The pricing pages: the permission matrix, bad input as 400 changing nothing, and the
listing page's panel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.deals.models import Contract
from marketplace.listings.models import Achievement
from marketplace.pricing.models import Auction, Bid

from .conftest import end

pytestmark = pytest.mark.django_db


def _route_url(achievement):
    return reverse("pricing:route", args=[achievement.pk])


def test_owner_sets_a_listed_price(client_for, achievement, uni_user):
    response = client_for(uni_user).post(
        _route_url(achievement), {"route": "listed", "listed_price": "120000"}
    )
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert (achievement.pricing_route, achievement.asking_price) == ("listed", Decimal("120000"))


def test_owner_sets_an_auction(client_for, achievement, uni_user):
    ends = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(uni_user).post(
        _route_url(achievement),
        {"route": "auction", "start_price": "100", "increment": "5", "ends_at": ends},
    )
    assert response.status_code == 302
    assert Auction.objects.get().increment == Decimal("5")


@pytest.mark.parametrize(
    "data",
    [
        {"route": "nope"},
        {"route": "listed"},
        {"route": "auction", "start_price": "1", "increment": "0"},
        {"route": "auction", "start_price": "1", "increment": "1", "ends_at": "2000-01-01T00:00"},
        {"route": "auction", "start_price": "x", "increment": "1", "ends_at": "garbage"},
    ],
)
def test_bad_route_input_is_400(client_for, achievement, uni_user, data):
    response = client_for(uni_user).post(_route_url(achievement), data)
    assert response.status_code == 400
    assert Achievement.objects.get().pricing_route == "agreed"


@pytest.mark.parametrize(
    "who, status",
    [("visitor", 302), ("other_org", 403), ("outsider", 403), ("unverified_org", 403)],
)
def test_route_page_is_the_owners(client_for, achievement, people, who, status):
    assert client_for(people[who]).get(_route_url(achievement)).status_code == status
    response = client_for(people[who]).post(
        _route_url(achievement), {"route": "listed", "listed_price": "1"}
    )
    assert response.status_code == status
    assert Achievement.objects.get().pricing_route == "agreed"


def test_terms_page_and_acceptance(client_for, listed, ent_user):
    url = reverse("pricing:terms", args=[listed.pk])
    page = client_for(None).get(url)
    assert page.status_code == 200 and "NON-EXCLUSIVE" in page.content.decode()
    assert client_for(ent_user).post(url, {}).status_code == 400  # the box not ticked
    assert not Contract.objects.exists()
    response = client_for(ent_user).post(url, {"agree": "on"})
    assert response.status_code == 302
    assert Contract.objects.get().deal.stage == "contract_signed"
    assert client_for(ent_user).post(url, {"agree": "on"}).status_code == 409


@pytest.mark.parametrize(
    "who, status", [("owner", 403), ("unverified_org", 403), ("outsider", 403), ("visitor", 302)]
)
def test_terms_refused(client_for, listed, people, who, status):
    url = reverse("pricing:terms", args=[listed.pk])
    assert client_for(people[who]).post(url, {"agree": "on"}).status_code == status
    assert not Contract.objects.exists()


def test_terms_page_of_another_route_is_404(client_for, achievement):
    assert client_for(None).get(reverse("pricing:terms", args=[achievement.pk])).status_code == 404
    assert (
        client_for(None).get(reverse("pricing:auction", args=[achievement.pk])).status_code == 404
    )


def test_bidding_through_the_page(client_for, auction, ent_user, rival):
    url = reverse("pricing:auction", args=[auction.achievement_id])
    assert client_for(ent_user).post(url, {"amount": "1000"}).status_code == 302
    response = client_for(rival).post(url, {"amount": "1001"})
    assert response.status_code == 400
    assert "1010" in response.content.decode()
    assert client_for(rival).post(url, {"amount": "abc"}).status_code == 400
    assert Bid.objects.count() == 1
    page = client_for(None).get(url).content.decode()
    assert "1,000" in page


@pytest.mark.parametrize(
    "who, status", [("owner", 403), ("unverified_org", 403), ("outsider", 403), ("visitor", 302)]
)
def test_bids_refused(client_for, auction, people, who, status):
    url = reverse("pricing:auction", args=[auction.achievement_id])
    assert client_for(people[who]).post(url, {"amount": "5000"}).status_code == status
    assert not Bid.objects.exists()


def test_reading_an_ended_auction_closes_it(client_for, auction, ent_user):
    Bid.objects.create(auction=auction, organization=ent_user.membership.organization, amount=1000)
    end(auction)
    url = reverse("pricing:auction", args=[auction.achievement_id])
    page = client_for(None).get(url).content.decode()
    assert "has ended" in page
    assert Auction.objects.get().winning_bid is not None
    assert client_for(ent_user).post(url, {"amount": "9000"}).status_code == 409


def test_listing_page_shows_the_route(client_for, listed, auction, uni_user):
    # ``auction`` turned the same achievement to the auction route.
    page = client_for(None).get(listed.get_absolute_url()).content.decode()
    assert 'data-testid="pricing-panel"' in page
    assert reverse("pricing:auction", args=[listed.pk]) in page
    assert 'data-testid="pricing-set-route"' not in page
    owner_page = client_for(uni_user).get(listed.get_absolute_url()).content.decode()
    assert 'data-testid="pricing-set-route"' in owner_page


def test_chinese_pages(client_for, auction):
    from django.test import Client

    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(
        reverse("pricing:auction", args=[auction.achievement_id])
    )
    assert "拍卖" in page.content.decode()

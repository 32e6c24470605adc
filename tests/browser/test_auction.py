"""An auction in a real browser, two verified enterprises bidding from their own browser
contexts: the first bids the start price; the second, on a page loaded before that bid,
bids the same step and is told the least it may bid now; it outbids; the auction ends and
the page names the winner. The auction page passes axe."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.choices import OrganizationKind
from marketplace.pricing.models import Auction, Bid
from marketplace.pricing.services import pricing_set_route
from tests import factories

from .helpers import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_bidders(new_page):
    university = factories.make_org(kind=OrganizationKind.UNIVERSITY, name="拍卖大学")
    owner = factories.make_user(org=university, email="tto@auction-uni.example")
    first = factories.make_user(
        org=factories.make_org(kind=OrganizationKind.ENTERPRISE, name="First Bidder Co"),
        email="a@first.example",
    )
    second = factories.make_user(
        org=factories.make_org(kind=OrganizationKind.ENTERPRISE, name="Second Bidder Co"),
        email="b@second.example",
    )
    achievement = factories.make_achievement(university, user=owner)
    pricing_set_route(
        achievement=achievement,
        user=owner,
        route="auction",
        start_price=Decimal("1000"),
        increment=Decimal("10"),
        ends_at=timezone.now() + timedelta(days=1),
    )
    url = reverse("pricing:auction", args=[achievement.pk])

    page_a, page_b = new_page(), new_page()
    log_in(page_a, first)
    log_in(page_b, second)
    page_a.goto(url)
    page_b.goto(url)  # loaded before the first bid: it still says "at least 1,000"
    assert_accessible(page_b)

    page_a.get_by_label("Your bid (yuan)").fill("1000")
    page_a.get_by_role("button", name="Place the bid").click()
    expect(page_a.get_by_text("Your bid was placed.")).to_be_visible()

    page_b.get_by_label("Your bid (yuan)").fill("1000")
    page_b.get_by_role("button", name="Place the bid").click()
    expect(page_b.get_by_text("Bid at least 1010")).to_be_visible()
    page_b.get_by_label("Your bid (yuan)").fill("1010")
    page_b.get_by_role("button", name="Place the bid").click()
    expect(page_b.get_by_text("Your bid was placed.")).to_be_visible()
    assert list(Bid.objects.values_list("amount", flat=True)) == [
        Decimal("1010"),
        Decimal("1000"),
    ]

    Auction.objects.update(ends_at=timezone.now() - timedelta(seconds=1))
    page_a.goto(url)
    expect(page_a.get_by_test_id("result")).to_contain_text("Second Bidder Co")
    assert Auction.objects.get().winning_bid.amount == Decimal("1010")


def test_pricing_pages_pass_axe_on_phones_and_desktops(new_page):
    university = factories.make_org(kind=OrganizationKind.UNIVERSITY, name="挂牌大学")
    owner = factories.make_user(org=university, email="tto@listed-uni.example")
    buyer = factories.make_user(
        org=factories.make_org(kind=OrganizationKind.ENTERPRISE, name="Buyer Co"),
        email="buyer@buyer.example",
    )
    listed = factories.make_achievement(university, user=owner, title="Listed 挂牌成果")
    pricing_set_route(
        achievement=listed, user=owner, route="listed", listed_price=Decimal("250000")
    )
    auctioned = factories.make_achievement(university, user=owner, title="Auctioned 拍卖成果")
    pricing_set_route(
        achievement=auctioned,
        user=owner,
        route="auction",
        start_price=Decimal("1000"),
        increment=Decimal("10"),
        ends_at=timezone.now() + timedelta(days=1),
    )
    page = new_page()
    log_in(page, buyer)
    urls = [
        reverse("pricing:terms", args=[listed.pk]),
        reverse("pricing:auction", args=[auctioned.pk]),
        listed.get_absolute_url(),
        reverse("deals:notice_list"),
    ]
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            assert_accessible(page)
    # The buyer accepts the licence: the contract is recorded, the conversation opens.
    page.goto(urls[0])
    page.get_by_label("We accept the standard non-exclusive licence").check()
    page.get_by_role("button", name="Accept and record the contract").click()
    expect(page.get_by_role("alert")).to_contain_text("Licence accepted")
    expect(page.get_by_test_id("contract")).to_contain_text("250,000.00")

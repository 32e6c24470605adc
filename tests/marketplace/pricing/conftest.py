"""People and listings of the pricing tests: the university (``uni_user``) owns an
achievement; two verified enterprises (``ent_user`` and ``rival``) buy and bid; a member of
an unverified enterprise, a second university, an outsider and a moderator are refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import OrganizationKind
from marketplace.pricing import services
from marketplace.pricing.models import Auction
from tests import factories


@pytest.fixture
def rival(db):
    org = factories.make_org(kind=OrganizationKind.ENTERPRISE, name="第三方公司", region="jiangsu")
    return factories.make_user(org=org, email="rd@rival.example")


@pytest.fixture
def other_university_user(db):
    org = factories.make_org(kind=OrganizationKind.UNIVERSITY, name="复旦大学", region="shanghai")
    return factories.make_user(org=org, email="tto@fudan.example")


@pytest.fixture
def achievement(university, uni_user):
    return factories.make_achievement(university, user=uni_user)


@pytest.fixture
def listed(achievement, uni_user):
    return services.pricing_set_route(
        achievement=achievement, user=uni_user, route="listed", listed_price=Decimal("300000")
    )


@pytest.fixture
def auction(achievement, uni_user):
    services.pricing_set_route(
        achievement=achievement,
        user=uni_user,
        route="auction",
        start_price=Decimal("1000"),
        increment=Decimal("10"),
        ends_at=timezone.now() + timedelta(days=3),
    )
    return Auction.objects.select_related("achievement").get(achievement=achievement)


def end(auction):
    type(auction).objects.filter(pk=auction.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )
    auction.refresh_from_db()
    return auction

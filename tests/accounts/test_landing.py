"""After logging in, each role lands where its work is: moderators on the review queue,
brokers on their region, members on their organisation's listings; ``next`` still wins."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _log_in(user, **query) -> str:
    user.set_password(PASSWORD)
    user.save()
    url = reverse("accounts:login")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = Client().post(url, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response.url


def test_members_land_on_their_listings(uni_user):
    assert _log_in(uni_user) == reverse("listings:dashboard")


def test_brokers_land_on_their_region(db):
    broker = factories.make_broker("zhejiang", email="landing-broker@example.test")
    assert _log_in(broker) == reverse("brokers:region")


def test_moderators_land_on_the_review_queue(listing_moderator):
    landing = _log_in(listing_moderator)
    assert landing.startswith(reverse("admin:listings_achievement_changelist"))
    assert "status__exact=pending" in landing


def test_other_staff_land_on_the_admin_index(moderator):
    assert _log_in(moderator) == reverse("admin:index")


def test_next_wins_over_the_landing(listing_moderator):
    assert _log_in(listing_moderator, next="/search/") == "/search/"

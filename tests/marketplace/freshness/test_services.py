"""Scoring the published listings from the database, telling owners of stale ones once per
period (claimed), and the owner's one-click confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.deals import services as deals_services
from marketplace.freshness.services import freshness_refresh, stale_listings_notify
from marketplace.freshness.tasks import freshness_sweep
from marketplace.listings import services as listing_services
from marketplace.notifications.models import Notification
from tests.factories import make_achievement, make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["achievement", "challenge"])
def kind(request):
    return request.param


def _make(kind, org, **kw):
    return (make_achievement if kind == "achievement" else make_challenge)(org, **kw)


def _old(kind, org, days=200, **kw):
    """Published and last confirmed ``days`` ago."""
    then = timezone.now() - timedelta(days=days)
    return _make(kind, org, published_at=then, confirmed_at=then, **kw)


def _score(listing) -> int | None:
    listing.refresh_from_db()
    return listing.freshness


def test_refresh_scores_published_listings_only(kind, university):
    fresh = _make(kind, university, confirmed_at=timezone.now())
    draft = _make(kind, university, status="draft")
    assert freshness_refresh() >= 1
    assert _score(fresh) == 85
    assert _score(draft) is None
    assert freshness_refresh() == 0  # nothing changed: nothing written


def test_an_old_unconfirmed_listing_scores_low(kind, university):
    listing = _old(kind, university)
    freshness_refresh()
    assert _score(listing) < 40


def test_an_overdue_interest_lowers_the_score(university, uni_user, ent_user):
    listing = make_achievement(university, user=uni_user, confirmed_at=timezone.now())
    freshness_refresh()
    before = _score(listing)
    interest = deals_services.interest_express(
        listing=listing, user=ent_user, purpose="licence", message="A licence, please."
    )
    type(interest).objects.filter(pk=interest.pk).update(
        answer_due=timezone.now() - timedelta(days=1)
    )
    freshness_refresh()
    assert _score(listing) <= before - 20


def test_owners_of_stale_listings_are_told_once_per_period(kind, settings, university, uni_user):
    settings.FRESHNESS_NOTIFY_DAYS = 30
    stale = _old(kind, university, user=uni_user)
    fresh = _make(kind, university, user=uni_user, confirmed_at=timezone.now())
    assert freshness_sweep() == 1
    told = Notification.objects.filter(recipient=uni_user, link=stale.get_absolute_url())
    assert told.count() == 1
    assert not Notification.objects.filter(link=fresh.get_absolute_url()).exists()
    # Running again (a retry, a second worker) tells nobody: the row is claimed.
    assert stale_listings_notify() == 0
    # After the period, still stale: told again.
    later = timezone.now() + timedelta(days=31)
    assert stale_listings_notify(now=later) == 1
    assert told.count() == 2


def test_the_notice_is_in_the_owners_language(university):
    from tests.factories import make_user

    owner = make_user(org=university, language="zh-hans")
    _old("achievement", university, user=owner)
    freshness_sweep()
    notification = Notification.objects.get(recipient=owner)
    assert notification.subject == "“极紫外光刻胶 EUV photoresist”仍然有效吗？"


def test_confirming_lifts_the_flag_and_the_score(kind, university, uni_user, client_for):
    listing = _old(kind, university, user=uni_user)
    freshness_sweep()
    assert _score(listing) < 40
    page = client_for(uni_user).get(listing.get_absolute_url()).content.decode()
    assert 'data-testid="stale"' in page
    assert f"Freshness {listing.freshness}/100" in page
    response = client_for(uni_user).post(
        reverse(f"listings:{kind}_confirm_current", args=[listing.pk])
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert timezone.now() - listing.confirmed_at < timedelta(minutes=1)
    assert listing.stale_notified_at is None
    assert listing.freshness >= 40
    page = client_for(uni_user).get(listing.get_absolute_url())
    assert 'data-testid="stale"' not in page.content.decode()


def test_renewing_confirms(university, uni_user):
    listing = _old("achievement", university, user=uni_user)
    listing_services.listing_renew(listing=listing, user=uni_user)
    listing.refresh_from_db()
    assert timezone.now() - listing.confirmed_at < timedelta(minutes=1)


def test_publishing_confirms(kind, university, uni_user, moderator):
    listing = _make(kind, university, status="pending", user=uni_user)
    listing_services.listing_publish(listing=listing, moderator=moderator)
    listing.refresh_from_db()
    assert listing.confirmed_at == listing.published_at


@pytest.mark.parametrize("who", ["visitor", "other_org", "outsider", "moderator"])
def test_only_the_owner_can_confirm(kind, who, people, university, client_for):
    listing = _old(kind, university)
    before = listing.confirmed_at
    client_for(people[who]).post(reverse(f"listings:{kind}_confirm_current", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.confirmed_at == before


def test_confirming_a_listing_that_is_not_published_is_refused_and_changes_nothing(
    kind, university, uni_user, client_for
):
    listing = _make(kind, university, status="expired", user=uni_user)
    response = client_for(uni_user).post(
        reverse(f"listings:{kind}_confirm_current", args=[listing.pk]), follow=True
    )
    assert response.status_code == 200
    assert any("Only a published listing" in str(m) for m in response.context["messages"])
    listing.refresh_from_db()
    assert listing.confirmed_at is None


def test_get_is_not_allowed(kind, university, uni_user, client_for):
    listing = _old(kind, university)
    url = reverse(f"listings:{kind}_confirm_current", args=[listing.pk])
    assert client_for(uni_user).get(url).status_code == 405


def test_the_public_page_shows_the_last_confirmed_date(kind, university, client_for):
    listing = _make(kind, university, confirmed_at=timezone.now() - timedelta(days=3))
    html = client_for(None).get(listing.get_absolute_url()).content.decode()
    date = timezone.localdate(listing.confirmed_at).isoformat()
    assert f"last confirmed {date}" in html


def test_the_command_and_the_beat_entry(university, uni_user, settings):
    from io import StringIO

    from django.core.management import call_command

    from marketplace.celery import app

    _old("achievement", university, user=uni_user)
    out = StringIO()
    call_command("freshness_sweep", stdout=out)
    assert "told the owners of 1 stale one(s)" in out.getvalue()
    task = settings.CELERY_BEAT_SCHEDULE["freshness"]["task"]
    assert task in app.tasks


def test_my_listings_marks_the_stale_ones(kind, university, uni_user, client_for):
    _old(kind, university, user=uni_user, title="STALE-ONE")
    _make(kind, university, user=uni_user, confirmed_at=timezone.now(), title="FRESH-ONE")
    freshness_refresh()
    html = client_for(uni_user).get(reverse("listings:dashboard"), {"kind": kind}).content
    rows = [row for row in html.decode().split("<tr") if "-ONE" in row]
    assert len(rows) == 2
    for row in rows:
        assert ('data-testid="stale-badge"' in row) == ("STALE-ONE" in row)

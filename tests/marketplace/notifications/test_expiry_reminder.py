"""Expiry reminders: owners hear once, 14 days ahead, that a listing is about to lapse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.listings import services as listing_services
from marketplace.listings.tasks import listings_remind
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.models import Notification
from tests.factories import make_achievement, make_challenge

pytestmark = pytest.mark.django_db


def test_owners_are_reminded_once_of_listings_lapsing_within_14_days(
    university,
    uni_user,
    uni_colleague,
    enterprise,
    ent_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    today = timezone.localdate()
    soon = make_achievement(
        university, user=uni_colleague, title="Soon", expires_at=now + timedelta(days=13, hours=20)
    )
    closing = make_challenge(enterprise, title="Closing", deadline=today + timedelta(days=14))
    make_achievement(university, title="Later", expires_at=now + timedelta(days=15))
    make_challenge(enterprise, title="Open long", deadline=today + timedelta(days=15))
    make_achievement(university, status="expired", title="Gone", expires_at=now - timedelta(days=1))
    make_challenge(enterprise, status="draft", title="Draft", deadline=today + timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        assert listings_remind.delay().get() == 2
    told = {(n.recipient.email, n.link) for n in Notification.objects.all()}
    assert told == {
        (uni_user.email, soon.get_absolute_url()),  # the owner
        (uni_colleague.email, soon.get_absolute_url()),  # and its author
        (ent_user.email, closing.get_absolute_url()),
    }
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        NotificationKind.EXPIRY_REMINDER
    }
    subjects = sorted(m.subject for m in mailoutbox)
    expiry = timezone.localdate(soon.expires_at).isoformat()
    assert subjects == sorted(
        [f"“Soon” expires on {expiry}"] * 2
        + [f"“Closing” closes on {closing.deadline.isoformat()}"]
    )
    assert "renew it" in mailoutbox[0].body

    # Daily runs: nobody hears of the same expiry twice; the next day brings the two that
    # have come within 14 days since.
    with django_capture_on_commit_callbacks(execute=True):
        assert listing_services.listings_remind_due() == 0
        assert listing_services.listings_remind_due(now=now + timedelta(days=1)) == 2
    assert Notification.objects.filter(link=soon.get_absolute_url()).count() == 2
    assert Notification.objects.filter(link=closing.get_absolute_url()).count() == 1
    assert len(mailoutbox) == 5


def test_a_renewed_listing_is_reminded_again_before_its_new_date(university, uni_user):
    now = timezone.now()
    listing = make_achievement(university, expires_at=now + timedelta(days=5))
    assert listing_services.listings_remind_due(now=now) == 1
    listing_services.listing_renew(listing=listing, user=uni_user)
    listing.refresh_from_db()
    assert listing_services.listings_remind_due(now=now) == 0  # a year away now
    later = listing.expires_at - timedelta(days=10)
    assert listing_services.listings_remind_due(now=later) == 1
    assert Notification.objects.filter(recipient=uni_user).count() == 2

"""Every lifecycle transition of a listing, and every refused one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.listings import services
from marketplace.listings.models import Achievement, Challenge, ListingEvent
from marketplace.refusals import Refused
from tests.factories import field, make_achievement, make_challenge

ALL = {"draft", "pending", "published", "rejected", "archived", "expired"}

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["achievement", "challenge"])
def make(request):
    """Build a listing of either kind: each test below runs for both."""
    return make_achievement if request.param == "achievement" else make_challenge


def _events(listing):
    return list(listing.events.order_by("created_at", "id").values_list("from_status", "to_status"))


# --- create / update ------------------------------------------------------------------------


def test_create_makes_a_draft_in_the_organisations_region(university, uni_user):
    listing = services.listing_create(
        model=Achievement,
        organization=university,
        user=uni_user,
        data={
            "title": "T",
            "summary": "S",
            "description": "D",
            "keywords": ["k"],
            "trl": 5,
            "ip_status": "none",
            "transaction_modes": ["licence"],
            "price_negotiable": True,
            "fields": [field()],
        },
    )
    assert listing.status == "draft"
    assert listing.region == university.region
    assert list(listing.fields.all()) == [field()]
    assert listing.created_by == uni_user


def test_create_refuses_fields_that_owners_cannot_write(university, uni_user):
    with pytest.raises(ValueError):
        services.listing_create(
            model=Challenge,
            organization=university,
            user=uni_user,
            data={"title": "T", "status": "published"},
        )
    assert not Challenge.objects.exists()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("draft", "draft"),
        ("pending", "pending"),
        ("published", "pending"),
        ("rejected", "draft"),
        ("expired", "draft"),
    ],
)
def test_edit_moves_the_listing(make, university, uni_user, before, after):
    listing = make(university, status=before)
    services.listing_update(listing=listing, user=uni_user, data={"title": "New title"})
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("New title", after)


def test_edit_of_archived_listing_is_refused(make, university, uni_user):
    listing = make(university, status="archived", title="Old")
    with pytest.raises(Refused):
        services.listing_update(listing=listing, user=uni_user, data={"title": "New"})
    listing.refresh_from_db()
    assert listing.title == "Old"


def test_editing_published_listing_records_the_return_to_review(make, university, uni_user):
    listing = make(university, status="published")
    services.listing_update(listing=listing, user=uni_user, data={"title": "Typo fixed"})
    assert _events(listing) == [("published", "pending")]


# --- submit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("before", ["draft", "rejected"])
def test_submit(make, university, uni_user, before):
    listing = make(university, status=before)
    services.listing_submit(listing=listing, user=uni_user)
    listing.refresh_from_db()
    assert listing.status == "pending"
    assert listing.submitted_at is not None
    assert _events(listing) == [(before, "pending")]


@pytest.mark.parametrize("before", sorted(ALL - {"draft", "rejected"}))
def test_submit_refused(make, university, uni_user, before):
    listing = make(university, status=before)
    with pytest.raises(Refused, match="can be submitted"):
        services.listing_submit(listing=listing, user=uni_user)
    listing.refresh_from_db()
    assert listing.status == before
    assert not ListingEvent.objects.exists()


def test_submit_refused_for_a_challenge_past_its_deadline(university, uni_user):
    challenge = make_challenge(
        university, status="draft", deadline=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(Refused, match="deadline"):
        services.listing_submit(listing=challenge, user=uni_user)


# --- publish / reject -----------------------------------------------------------------------


def test_publish_sets_dates_reviewer_and_tells_the_owner(
    make, university, uni_user, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    listing = make(university, status="pending", user=uni_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_publish(listing=listing, moderator=moderator)
    listing.refresh_from_db()
    assert listing.status == "published"
    assert listing.published_at and listing.reviewed_at
    assert listing.reviewed_by == moderator
    assert _events(listing) == [("pending", "published")]
    assert [m.to for m in mailoutbox] == [[uni_user.email]]
    assert listing.title in mailoutbox[0].body


def test_publish_gives_an_achievement_twelve_months(university, moderator, settings):
    settings.ACHIEVEMENT_VALID_DAYS = 365
    listing = make_achievement(university, status="pending")
    services.listing_publish(listing=listing, moderator=moderator)
    listing.refresh_from_db()
    assert listing.expires_at - listing.published_at == timedelta(days=365)


def test_publish_refused_for_unverified_organisation(make, unverified_org, moderator):
    listing = make(unverified_org, status="pending")
    with pytest.raises(Refused, match="not verified"):
        services.listing_publish(listing=listing, moderator=moderator)
    listing.refresh_from_db()
    assert listing.status == "pending"


@pytest.mark.parametrize("before", sorted(ALL - {"pending"}))
def test_publish_refused(make, university, moderator, before):
    listing = make(university, status=before)
    with pytest.raises(Refused):
        services.listing_publish(listing=listing, moderator=moderator)
    listing.refresh_from_db()
    assert listing.status == before


def test_reject_records_reason_and_tells_the_owner(
    make, university, uni_user, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    uni_user.preferred_language = "en"
    uni_user.save()
    listing = make(university, status="pending", user=uni_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_reject(listing=listing, moderator=moderator, reason="Add TRL evidence.")
    listing.refresh_from_db()
    assert listing.status == "rejected"
    assert listing.rejection_reason == "Add TRL evidence."
    assert listing.reviewed_by == moderator
    assert _events(listing) == [("pending", "rejected")]
    assert "Add TRL evidence." in mailoutbox[0].body


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_reason_refused(make, university, moderator, reason):
    listing = make(university, status="pending")
    with pytest.raises(Refused, match="reason"):
        services.listing_reject(listing=listing, moderator=moderator, reason=reason)
    listing.refresh_from_db()
    assert listing.status == "pending"


@pytest.mark.parametrize("before", sorted(ALL - {"pending"}))
def test_reject_refused(make, university, moderator, before):
    listing = make(university, status=before)
    with pytest.raises(Refused):
        services.listing_reject(listing=listing, moderator=moderator, reason="No.")


def test_decision_email_waits_for_commit(
    university, uni_user, moderator, django_capture_on_commit_callbacks
):
    """A decision rolled back never emails anyone (email waits for commit)."""
    listing = make_achievement(university, status="pending", user=uni_user)
    with django_capture_on_commit_callbacks() as callbacks:
        services.listing_reject(listing=listing, moderator=moderator, reason="No.")
    assert len(callbacks) == 1


# --- back to draft / archive / renew / delete / expire --------------------------------------


@pytest.mark.parametrize("before", ["rejected", "pending"])
def test_return_to_draft(make, university, uni_user, before):
    listing = make(university, status=before)
    services.listing_return_to_draft(listing=listing, user=uni_user)
    listing.refresh_from_db()
    assert listing.status == "draft"


@pytest.mark.parametrize("before", sorted(ALL - {"rejected", "pending"}))
def test_return_to_draft_refused(make, university, uni_user, before):
    listing = make(university, status=before)
    with pytest.raises(Refused):
        services.listing_return_to_draft(listing=listing, user=uni_user)


@pytest.mark.parametrize("before", ["published", "expired"])
def test_archive(make, university, uni_user, before):
    listing = make(university, status=before)
    services.listing_archive(listing=listing, user=uni_user)
    listing.refresh_from_db()
    assert listing.status == "archived"


@pytest.mark.parametrize("before", sorted(ALL - {"published", "expired"}))
def test_archive_refused(make, university, uni_user, before):
    listing = make(university, status=before)
    with pytest.raises(Refused, match="can be archived"):
        services.listing_archive(listing=listing, user=uni_user)


@pytest.mark.parametrize("before", ["published", "expired"])
def test_renew_achievement(university, uni_user, before):
    listing = make_achievement(
        university, status=before, expires_at=timezone.now() - timedelta(days=1)
    )
    services.listing_renew(listing=listing, user=uni_user)
    listing.refresh_from_db()
    assert listing.status == "published"
    assert listing.expires_at > timezone.now() + timedelta(days=360)


@pytest.mark.parametrize("before", ["published", "expired"])
def test_renew_challenge_needs_a_new_deadline(university, uni_user, before):
    listing = make_challenge(university, status=before)
    with pytest.raises(Refused, match="deadline"):
        services.listing_renew(listing=listing, user=uni_user, deadline=None)
    with pytest.raises(Refused, match="deadline"):
        services.listing_renew(
            listing=listing, user=uni_user, deadline=timezone.localdate() - timedelta(days=1)
        )
    new = timezone.localdate() + timedelta(days=200)
    services.listing_renew(listing=listing, user=uni_user, deadline=new)
    listing.refresh_from_db()
    assert (listing.status, listing.deadline) == ("published", new)


@pytest.mark.parametrize("before", sorted(ALL - {"published", "expired"}))
def test_renew_refused(make, university, uni_user, before):
    listing = make(university, status=before)
    with pytest.raises(Refused):
        services.listing_renew(
            listing=listing, user=uni_user, deadline=timezone.localdate() + timedelta(days=9)
        )


def test_renew_refused_when_organisation_lost_verification(unverified_org, uni_user):
    listing = make_achievement(unverified_org, status="expired")
    with pytest.raises(Refused, match="verified"):
        services.listing_renew(listing=listing, user=uni_user)


@pytest.mark.parametrize("before", ["draft", "rejected"])
def test_delete(make, university, uni_user, before):
    listing = make(university, status=before)
    services.listing_delete(listing=listing, user=uni_user)
    assert not type(listing).objects.filter(pk=listing.pk).exists()


@pytest.mark.parametrize("before", sorted(ALL - {"draft", "rejected"}))
def test_delete_refused(make, university, uni_user, before):
    listing = make(university, status=before)
    with pytest.raises(Refused):
        services.listing_delete(listing=listing, user=uni_user)
    assert type(listing).objects.filter(pk=listing.pk).exists()


def test_expiry_sweep_expires_only_what_is_due_and_is_idempotent(university):
    now = timezone.now()
    due_achievement = make_achievement(university, expires_at=now - timedelta(minutes=1))
    fresh_achievement = make_achievement(university, expires_at=now + timedelta(days=3))
    due_challenge = make_challenge(university, deadline=timezone.localdate() - timedelta(days=1))
    today_challenge = make_challenge(university, deadline=timezone.localdate())
    draft_past = make_achievement(university, status="draft", expires_at=now - timedelta(days=9))

    assert services.listings_expire_due(now=now) == 2
    assert services.listings_expire_due(now=now) == 0

    def status(obj):
        obj.refresh_from_db()
        return obj.status

    assert status(due_achievement) == "expired"
    assert status(due_challenge) == "expired"
    assert status(fresh_achievement) == "published"
    assert status(today_challenge) == "published"
    assert status(draft_past) == "draft"
    assert _events(due_achievement) == [("published", "expired")]
    assert due_achievement.events.get().actor is None


def test_expire_listings_command(university, capsys):
    make_achievement(university, expires_at=timezone.now() - timedelta(days=1))
    call_command("expire_listings")
    assert "Expired 1 listing(s)." in capsys.readouterr().out

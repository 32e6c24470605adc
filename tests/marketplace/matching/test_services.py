"""Matching a listing: one row per pair, threshold and cap, who never matches, both
directions, reasons in both languages, and notifications once per user per new match."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.listings import services as listing_services
from marketplace.matching.handlers import match_published_listing
from marketplace.matching.models import Match
from marketplace.matching.services import listing_match, match_dismiss
from tests import factories

from .helpers import RICE, achievement, challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_university(db):
    return factories.make_org(name="清华大学", region="beijing")


def _publish(listing, moderator, capture):
    with capture(execute=True):
        listing_services.listing_publish(listing=listing, moderator=moderator)


def test_publishing_an_achievement_matches_open_challenges_and_tells_both_sides(
    university,
    enterprise,
    uni_user,
    uni_colleague,
    ent_user,
    moderator,
    told,
    django_capture_on_commit_callbacks,
):
    wanted = challenge(enterprise, user=ent_user)
    unrelated = challenge(enterprise, **{**RICE, "min_trl": None})
    offer = achievement(university, status="pending", user=uni_user)

    _publish(offer, moderator, django_capture_on_commit_callbacks)

    match = Match.objects.get()
    assert (match.achievement, match.challenge) == (offer, wanted)
    assert 30 <= match.score <= 100
    assert set(match.parts) == {"text", "field", "maturity", "modes", "price", "region", "penalty"}
    assert not Match.objects.filter(challenge=unrelated).exists()
    # Reasons in both languages.
    assert "both in Integrated circuits › Lithography and photoresists" in match.reasons_en
    assert "shared terms:" in match.reasons_en and "photoresist" in match.reasons_en
    assert "TRL 6 meets the required 5" in match.reasons_en
    assert "licence wanted and offered" in match.reasons_en
    assert "同属集成电路 › 光刻与光刻胶" in match.reasons_zh
    assert "共同术语" in match.reasons_zh
    # Every active member of both organisations, once, pointed at their own listing's page.
    key = f"match:{match.pk}"
    assert sorted(told) == sorted(
        [
            (uni_user.email, key, reverse("matching:achievement_matches", args=[offer.pk])),
            (uni_colleague.email, key, reverse("matching:achievement_matches", args=[offer.pk])),
            (ent_user.email, key, reverse("matching:challenge_matches", args=[wanted.pk])),
        ]
    )


def test_a_challenge_is_matched_against_published_achievements(
    university, enterprise, ent_user, moderator, told, django_capture_on_commit_callbacks
):
    offer = achievement(university)
    wanted = challenge(enterprise, status="pending", user=ent_user)
    _publish(wanted, moderator, django_capture_on_commit_callbacks)
    assert list(Match.objects.values_list("achievement", "challenge")) == [(offer.pk, wanted.pk)]


def test_running_the_handler_again_changes_nothing_and_tells_nobody_again(
    university, enterprise, uni_user, ent_user, told
):
    offer = achievement(university)
    challenge(enterprise)
    first = listing_match(kind="achievement", listing_id=offer.pk)
    row = Match.objects.get()
    notified = list(told)

    match_published_listing({"kind": "achievement", "id": offer.pk})
    second = listing_match(kind="achievement", listing_id=offer.pk)

    assert len(first.created) == 1 and second.created == [] and second.updated == first.created
    assert list(Match.objects.values_list("pk", flat=True)) == [row.pk]
    assert told == notified


def test_the_same_listing_published_twice_quickly_gives_one_row_and_one_notification_per_user(
    university,
    enterprise,
    uni_user,
    ent_user,
    moderator,
    told,
    django_capture_on_commit_callbacks,
):
    challenge(enterprise)
    offer = achievement(university, status="pending", user=uni_user)
    _publish(offer, moderator, django_capture_on_commit_callbacks)
    # Edited and approved again at once: a second listing.published event.
    listing_services.listing_update(
        listing=offer, user=uni_user, data={"title": offer.title + " v2"}
    )
    _publish(offer, moderator, django_capture_on_commit_callbacks)

    assert Match.objects.count() == 1
    per_user = Counter(email for email, _key, _link in told)
    assert per_user == {uni_user.email: 1, ent_user.email: 1}


def test_only_matches_above_the_threshold_and_at_most_n_are_kept(
    settings, university, enterprise, other_university
):
    wanted = challenge(enterprise)
    weak = achievement(
        university,
        title="Megasonic wafer cleaning",
        keywords=["cleaning"],
        summary="Cleaning 300 mm wafers after etching without damage.",
        description="Particle removal rates and damage-free megasonic process windows.",
    )
    strong = [achievement(university), achievement(other_university)]

    settings.MATCH_MAX_PER_LISTING = 2
    listing_match(kind="challenge", listing_id=wanted.pk)
    kept = list(Match.objects.order_by("-score").values_list("achievement", flat=True))
    assert sorted(kept) == sorted(a.pk for a in strong)
    assert weak.pk not in kept

    Match.objects.all().delete()
    settings.MATCH_THRESHOLD = 100
    listing_match(kind="challenge", listing_id=wanted.pk)
    assert not Match.objects.exists()


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "archived", "expired"])
def test_unpublished_expired_and_archived_listings_never_match(status, university, enterprise):
    offer = achievement(university, status=status)
    wanted = challenge(enterprise, status=status)
    live_offer = achievement(university)
    live_wanted = challenge(enterprise)

    assert listing_match(kind="achievement", listing_id=offer.pk).refused
    assert listing_match(kind="challenge", listing_id=wanted.pk).refused
    listing_match(kind="achievement", listing_id=live_offer.pk)
    listing_match(kind="challenge", listing_id=live_wanted.pk)
    assert list(Match.objects.values_list("achievement", "challenge")) == [
        (live_offer.pk, live_wanted.pk)
    ]


def test_listings_past_their_expiry_or_deadline_never_match(university, enterprise):
    past = timezone.now() - timedelta(days=1)
    achievement(university, expires_at=past)
    lapsed = challenge(enterprise, deadline=timezone.localdate() - timedelta(days=1))
    live_offer = achievement(university)
    live_wanted = challenge(enterprise)

    assert listing_match(kind="challenge", listing_id=lapsed.pk).refused
    listing_match(kind="challenge", listing_id=live_wanted.pk)
    assert list(Match.objects.values_list("achievement", flat=True)) == [live_offer.pk]


def test_an_organisation_is_not_matched_with_itself(university):
    offer = achievement(university)
    challenge(university)
    assert listing_match(kind="achievement", listing_id=offer.pk).created == []


def test_a_rematch_drops_what_fell_below_the_threshold_but_remembers_dismissals(
    settings, university, enterprise, ent_user, uni_user
):
    offer = achievement(university)
    first = challenge(enterprise)
    second = challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    assert Match.objects.count() == 2
    match_dismiss(match=Match.objects.get(challenge=first), user=uni_user)

    settings.MATCH_THRESHOLD = 100
    outcome = listing_match(kind="achievement", listing_id=offer.pk)

    assert outcome.deleted == [second.pk]
    kept = Match.objects.get()
    assert kept.challenge == first and kept.dismissed_by_achievement_owner
    assert not kept.dismissed_by_challenge_owner

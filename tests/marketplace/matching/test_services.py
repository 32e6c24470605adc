"""Matching a listing: one row per pair, threshold and cap, who never matches, both
directions, reasons in both languages, and notifications once per user per new match."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.listings import services as listing_services
from marketplace.listings.models import Challenge
from marketplace.matching import services
from marketplace.matching.handlers import match_published_listing
from marketplace.matching.models import Match
from marketplace.matching.services import listing_match, match_dismiss
from tests import factories
from tests.support.queries import assert_constant_queries

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
    # Reasons in both languages, as sentences.
    assert "Both work in Integrated circuits › Lithography and photoresists." in match.reasons_en
    assert "Both are about" in match.reasons_en and "photoresist" in match.reasons_en
    assert "Mature enough: TRL 6, and 5 or more is asked." in match.reasons_en
    assert "Both are open to a licence." in match.reasons_en
    assert "双方都在集成电路 › 光刻与光刻胶领域。" in match.reasons_zh
    assert "双方都涉及" in match.reasons_zh
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


def test_one_run_reports_new_and_existing_pairs_apart_and_announces_only_the_new(
    university, enterprise, other_university, ent_user, told
):
    """One upsert writes every pair; the outcome (and who is told) still tells new from old:
    a pair the other side's run made and a broker's pair are updated, not announced."""
    wanted = challenge(enterprise)
    by_other_side = achievement(university)
    by_broker = achievement(other_university)
    newcomer = factories.make_org(region="zhejiang")
    newcomer_user = factories.make_user(org=newcomer)
    new = achievement(newcomer)
    listing_match(kind="achievement", listing_id=by_other_side.pk)
    earlier = Match.objects.get(achievement=by_other_side)
    brokered = Match.objects.create(
        achievement=by_broker,
        challenge=wanted,
        score=1,
        proposed_by="broker",
        dismissed_by_challenge_owner=True,
    )
    told.clear()

    outcome = listing_match(kind="challenge", listing_id=wanted.pk)

    assert outcome.created == [new.pk]
    assert sorted(outcome.updated) == sorted([by_other_side.pk, by_broker.pk])
    assert Match.objects.get(achievement=by_other_side).pk == earlier.pk
    brokered.refresh_from_db()
    assert brokered.proposed_by == "broker" and brokered.dismissed_by_challenge_owner
    assert brokered.score > 30 and "photoresist" in brokered.reasons_en
    created = Match.objects.get(achievement=new)
    assert sorted((email, key) for email, key, _link in told) == sorted(
        [(newcomer_user.email, f"match:{created.pk}"), (ent_user.email, f"match:{created.pk}")]
    )


def _achievements(n: int) -> None:
    """``n`` achievements that a challenge finds, each of its own organisation (with a member)."""
    for _ in range(n):
        org = factories.make_org()
        factories.make_user(org=org)
        achievement(org)


def test_the_statements_of_a_first_run_do_not_grow_with_the_matches_written(
    monkeypatch, settings, enterprise
):
    calls: list[dict] = []
    monkeypatch.setattr(services, "notify", lambda **kwargs: calls.append(kwargs))
    settings.MATCH_MAX_PER_LISTING = 10
    wanted: list[Challenge] = []

    def counterparts(n: int) -> None:
        _achievements(n)
        wanted.append(challenge(enterprise))  # new: its run finds every achievement so far

    runs = assert_constant_queries(
        counterparts,
        lambda: listing_match(kind="challenge", listing_id=wanted[-1].pk),
        few=2,
        many=7,
        warm=False,
    )

    assert (len(runs.few.created), len(runs.many.created)) == (2, 7)
    assert runs.many.updated == []
    assert len(calls) == 2 * 2 + 2 * 7  # both sides of each new match
    # Each side is told about its own listing, the counterpart's organisation at hand.
    last = calls[-1]
    assert last["context"]["listing"].pk == last["context"]["match"].challenge_id
    assert last["context"]["counterpart"].organization.name


def test_the_statements_of_a_rerun_do_not_grow_with_the_matches_updated(
    monkeypatch, settings, enterprise
):
    calls: list[dict] = []
    monkeypatch.setattr(services, "notify", lambda **kwargs: calls.append(kwargs))
    settings.MATCH_MAX_PER_LISTING = 10
    wanted = challenge(enterprise)

    # Warmed: the uncounted run before each count writes the new matches; the counted one
    # runs again over all of them.
    reruns = assert_constant_queries(
        _achievements, lambda: listing_match(kind="challenge", listing_id=wanted.pk), few=2, many=7
    )

    assert (len(reruns.few.updated), len(reruns.many.updated)) == (2, 7)
    assert reruns.few.created == reruns.many.created == []
    assert len(calls) == 2 * 2 + 2 * 5  # the first runs' new matches, nothing on a rerun

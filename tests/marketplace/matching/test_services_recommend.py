"""A broker's recommendation (``match_recommend``): one match per pair, new or upgraded from
the engine's, with the engine's score; both sides told once, with the note; each refusal
changes nothing; the engine never deletes or takes over a broker's match."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.matching import profiles
from marketplace.matching.models import Match
from marketplace.matching.services import (
    listing_match,
    listing_scores,
    match_dismiss,
    match_feedback_set,
    match_recommend,
)
from marketplace.notifications.models import Notification
from marketplace.refusals import Refused
from tests import factories

from .helpers import RICE, achievement, challenge

pytestmark = pytest.mark.django_db

NOTE = "Both teams work on metal-oxide resists; I know them well."


_broker = factories.make_broker


@pytest.fixture
def broker(db):
    """Brokers for Zhejiang, the university's region."""
    return _broker("zhejiang", email="broker@zj-ttc.example")


@pytest.fixture
def listings(university, enterprise, uni_user, ent_user):
    """A Zhejiang achievement and a Guangdong challenge, not matched yet (their profiles
    built, as publication leaves them)."""
    offer, wanted = achievement(university), challenge(enterprise)
    profiles.profiles_refresh([offer])
    profiles.profiles_refresh([wanted])
    return offer, wanted


def test_a_new_pair_becomes_a_broker_match_with_the_engine_score_and_both_sides_are_told(
    broker, listings, uni_user, ent_user, told
):
    offer, wanted = listings

    match = match_recommend(broker=broker, achievement=offer, challenge=wanted, note=f"  {NOTE} ")
    expected = listing_scores(wanted, extra_ids=[offer.pk], retrieve=False).scores[offer.pk]

    stored = Match.objects.get()
    assert stored.pk == match.pk
    assert (stored.proposed_by, stored.broker, stored.broker_note) == ("broker", broker, NOTE)
    assert float(stored.score) == expected.total
    assert "photoresist" in stored.reasons_en  # shared terms, as the engine words them
    assert sorted(told) == sorted(
        [
            (
                uni_user.email,
                f"match:{match.pk}",
                reverse("matching:achievement_matches", args=[offer.pk]),
            ),
            (
                ent_user.email,
                f"match:{match.pk}",
                reverse("matching:challenge_matches", args=[wanted.pk]),
            ),
        ]
    )
    notification = Notification.objects.get(recipient=ent_user)
    assert NOTE in notification.body and broker.full_name in notification.body
    assert notification.subject == f"A broker recommends: {offer.title}"


def test_an_engine_match_is_upgraded_in_place_and_announced_as_a_recommendation(
    broker, listings, uni_user, ent_user, told
):
    offer, wanted = listings
    listing_match(kind="achievement", listing_id=offer.pk)
    engine = Match.objects.get()
    match_dismiss(match=engine, user=ent_user)
    told.clear()

    match_recommend(broker=broker, achievement=offer, challenge=wanted, note=NOTE)

    match = Match.objects.get()
    assert match.pk == engine.pk
    assert (match.proposed_by, match.broker, match.broker_note) == ("broker", broker, NOTE)
    assert match.dismissed_by_challenge_owner  # a side's dismissal stands
    # Only the side that had not dismissed it hears of the recommendation, once.
    assert told == [
        (
            uni_user.email,
            f"match:{match.pk}:broker",
            reverse("matching:achievement_matches", args=[offer.pk]),
        )
    ]


def test_a_side_that_marked_the_pair_not_relevant_is_not_told(
    broker, listings, uni_user, ent_user, told
):
    offer, wanted = listings
    listing_match(kind="achievement", listing_id=offer.pk)
    match_feedback_set(match=Match.objects.get(), user=uni_user, relevant=False)
    told.clear()
    match_recommend(broker=broker, achievement=offer, challenge=wanted, note=NOTE)
    assert [email for email, _key, _link in told] == [ent_user.email]


def test_a_pair_is_recommended_once(broker, listings, told):
    offer, wanted = listings
    match_recommend(broker=broker, achievement=offer, challenge=wanted, note=NOTE)
    told.clear()
    other = _broker("zhejiang")
    with pytest.raises(Refused):
        match_recommend(broker=other, achievement=offer, challenge=wanted, note="Again")
    assert Match.objects.get().broker == broker
    assert told == []


def test_the_engine_never_deletes_nor_takes_over_a_broker_match(
    settings, broker, university, enterprise, told
):
    offer = achievement(university)
    unrelated = challenge(enterprise, **{**RICE, "min_trl": None})  # far below the threshold
    match = match_recommend(broker=broker, achievement=offer, challenge=unrelated, note=NOTE)
    assert match.score < settings.MATCH_THRESHOLD

    for kind, pk in (("achievement", offer.pk), ("challenge", unrelated.pk)):
        listing_match(kind=kind, listing_id=pk)

    kept = Match.objects.get()
    assert (kept.pk, kept.proposed_by, kept.broker, kept.broker_note) == (
        match.pk,
        "broker",
        broker,
        NOTE,
    )


def test_a_broker_match_the_engine_finds_too_keeps_its_origin_and_note(broker, listings, told):
    offer, wanted = listings
    match = match_recommend(broker=broker, achievement=offer, challenge=wanted, note=NOTE)
    told.clear()
    outcome = listing_match(kind="challenge", listing_id=wanted.pk)
    assert outcome.created == [] and outcome.updated == [offer.pk]
    kept = Match.objects.get()
    assert (kept.pk, kept.proposed_by, kept.broker_note) == (match.pk, "broker", NOTE)
    assert told == []


def test_the_challenge_may_be_the_side_in_the_region(enterprise, university, listings, told):
    offer, wanted = listings
    guangdong = _broker("guangdong")
    match_recommend(broker=guangdong, achievement=offer, challenge=wanted, note=NOTE)
    assert Match.objects.get().broker == guangdong


# --- Refusals: nothing changes, nobody is told --------------------------------------------------


@pytest.mark.parametrize("who", ["university", "enterprise", "moderator", "outsider", "unverified"])
def test_only_brokers_recommend(who, listings, uni_user, ent_user, moderator, outsider, told):
    offer, wanted = listings
    user = {
        "university": uni_user,
        "enterprise": ent_user,
        "moderator": moderator,
        "outsider": outsider,
        "unverified": _broker("zhejiang", verified=False),
    }[who]
    with pytest.raises(Refused):
        match_recommend(broker=user, achievement=offer, challenge=wanted, note=NOTE)
    assert not Match.objects.exists() and told == []


def test_neither_listing_in_the_brokers_region_is_refused(listings, told):
    offer, wanted = listings
    with pytest.raises(Refused):
        match_recommend(broker=_broker("sichuan"), achievement=offer, challenge=wanted, note=NOTE)
    assert not Match.objects.exists() and told == []


@pytest.mark.parametrize(
    ("side", "change"),
    [
        ("achievement", {"status": "draft"}),
        ("achievement", {"status": "pending"}),
        ("achievement", {"status": "expired"}),
        ("achievement", {"expires_at": timezone.now() - timedelta(days=1)}),
        ("challenge", {"status": "archived"}),
        ("challenge", {"deadline": timezone.localdate() - timedelta(days=1)}),
    ],
)
def test_unpublished_or_lapsed_listings_are_refused(side, change, broker, listings, told):
    offer, wanted = listings
    listing = offer if side == "achievement" else wanted
    type(listing).objects.filter(pk=listing.pk).update(**change)
    with pytest.raises(Refused):
        match_recommend(broker=broker, achievement=offer, challenge=wanted, note=NOTE)
    assert not Match.objects.exists() and told == []


def test_a_pair_of_one_organisation_is_refused(broker, university, told):
    offer = achievement(university)
    own = challenge(university)
    with pytest.raises(Refused):
        match_recommend(broker=broker, achievement=offer, challenge=own, note=NOTE)
    assert not Match.objects.exists()


@pytest.mark.parametrize("note", ["", "   ", "x" * 2001])
def test_a_missing_or_overlong_note_is_refused(note, broker, listings, told):
    offer, wanted = listings
    with pytest.raises(Refused) as refused:
        match_recommend(broker=broker, achievement=offer, challenge=wanted, note=note)
    assert "note" in refused.value.fields
    assert not Match.objects.exists()

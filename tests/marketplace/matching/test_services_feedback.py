"""Feedback on matches: one verdict per match and organisation, a not-relevant pair hidden
from that side for good (never deleted, never announced again, whatever is republished),
and the feedback part of similar pairs' scores, learned in one query."""

from __future__ import annotations

import pytest

from marketplace.listings import services as listing_services
from marketplace.matching.models import Match, MatchFeedback
from marketplace.matching.selectors import matches_of_listing
from marketplace.matching.services import (
    listing_match,
    listing_scores,
    match_dismiss,
    match_feedback_set,
)
from marketplace.refusals import Refused
from tests import factories
from tests.support.queries import count_queries

from .helpers import achievement, challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(university, enterprise, uni_user, ent_user):
    """A university achievement matched with an enterprise challenge."""
    offer = achievement(university)
    wanted = challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    return offer, wanted, Match.objects.get()


def _other_enterprise(n: int = 1):
    org = factories.make_org(kind="enterprise", region="shanghai")
    factories.make_user(org=org)
    return org


# --- The verdict ---------------------------------------------------------------------------


def test_each_organisation_gives_one_verdict_per_match_and_can_change_it(
    pair, uni_user, uni_colleague, ent_user
):
    offer, wanted, match = pair
    match_feedback_set(match=match, user=uni_user, relevant=True)
    match_feedback_set(match=match, user=uni_colleague, relevant=False)  # same organisation
    match_feedback_set(match=match, user=ent_user, relevant=True)
    match_feedback_set(match=match, user=ent_user, relevant=True)  # again: nothing changes

    rows = {f.organization_id: f for f in MatchFeedback.objects.all()}
    assert len(rows) == 2
    assert rows[offer.organization_id].relevant is False
    assert rows[offer.organization_id].user == uni_colleague
    assert rows[wanted.organization_id].relevant is True


@pytest.mark.parametrize("who", ["outsider", "unverified_org", "moderator"])
def test_only_the_two_organisations_give_feedback(who, people, pair):
    _offer, _wanted, match = pair
    with pytest.raises(Refused):
        match_feedback_set(match=match, user=people[who], relevant=False)
    assert not MatchFeedback.objects.exists()


def test_relevant_brings_back_a_match_its_side_dismissed(pair, uni_user):
    offer, _wanted, match = pair
    match_dismiss(match=match, user=uni_user)
    assert list(matches_of_listing(offer)) == []
    match_feedback_set(match=match, user=uni_user, relevant=True)
    match.refresh_from_db()
    assert not match.dismissed_by_achievement_owner
    assert [m.own_feedback for m in matches_of_listing(offer)] == [True]


def test_not_relevant_hides_the_match_from_that_side_only(pair, ent_user):
    offer, wanted, match = pair
    match_feedback_set(match=match, user=ent_user, relevant=False)
    assert list(matches_of_listing(wanted)) == []
    hidden = list(matches_of_listing(wanted, dismissed=True))
    assert hidden == [match] and hidden[0].own_feedback is False
    assert list(matches_of_listing(offer)) == [match]
    assert matches_of_listing(offer)[0].own_feedback is None


# --- Never back for that side --------------------------------------------------------------------


def test_a_pair_marked_not_relevant_stays_hidden_and_unannounced_after_both_are_republished(
    university,
    enterprise,
    uni_user,
    ent_user,
    moderator,
    told,
    django_capture_on_commit_callbacks,
):
    offer = achievement(university, status="pending", user=uni_user)
    wanted = challenge(enterprise, status="pending", user=ent_user)
    for listing in (wanted, offer):
        with django_capture_on_commit_callbacks(execute=True):
            listing_services.listing_publish(listing=listing, moderator=moderator)
    match = Match.objects.get()
    assert told  # announced once
    match_feedback_set(match=match, user=uni_user, relevant=False)
    told.clear()

    for listing, user in ((offer, uni_user), (wanted, ent_user), (offer, uni_user)):
        listing_services.listing_update(
            listing=listing, user=user, data={"title": listing.title + " (revised)"}
        )
        with django_capture_on_commit_callbacks(execute=True):
            listing_services.listing_publish(listing=listing, moderator=moderator)

    assert told == []
    assert list(Match.objects.values_list("pk", flat=True)) == [match.pk]
    assert list(matches_of_listing(offer)) == []
    assert list(matches_of_listing(offer, dismissed=True)) == [match]
    assert list(matches_of_listing(wanted)) == [match]


def test_a_match_with_feedback_is_never_deleted_nor_announced_again(
    settings, university, enterprise, uni_user, ent_user, told
):
    offer = achievement(university)
    marked = challenge(enterprise)
    unmarked = challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    match = Match.objects.get(challenge=marked)
    match_feedback_set(match=match, user=ent_user, relevant=False)  # the other side's verdict

    settings.MATCH_THRESHOLD = 100
    outcome = listing_match(kind="achievement", listing_id=offer.pk)
    assert outcome.deleted == [unmarked.pk]
    assert Match.objects.filter(pk=match.pk).exists()

    told.clear()
    settings.MATCH_THRESHOLD = 30
    outcome = listing_match(kind="achievement", listing_id=offer.pk)
    assert outcome.created == [unmarked.pk]  # the unmarked one comes back, as new
    assert {key for _email, key, _link in told} == {
        f"match:{Match.objects.get(challenge=unmarked).pk}"
    }


def test_a_pair_marked_not_relevant_takes_none_of_the_n_places(
    settings, university, enterprise, uni_user
):
    offer = achievement(university)
    first, second, third = (challenge(enterprise) for _ in range(3))
    settings.MATCH_MAX_PER_LISTING = 2
    listing_match(kind="achievement", listing_id=offer.pk)
    kept = list(matches_of_listing(offer))
    assert len(kept) == 2
    match_feedback_set(match=kept[0], user=uni_user, relevant=False)

    outcome = listing_match(kind="achievement", listing_id=offer.pk)

    visible = [m.challenge_id for m in matches_of_listing(offer)]
    assert len(visible) == 2 and kept[0].challenge_id not in visible
    assert len(outcome.created) == 1
    assert {first.pk, second.pk, third.pk} == {*visible, kept[0].challenge_id}


# --- The feedback part -------------------------------------------------------------------------


def _base_score(listing, counterpart) -> float:
    return listing_scores(listing, extra_ids=[counterpart.pk]).scores[counterpart.pk].total


def test_relevant_marks_raise_similar_pairs_of_that_organisation(university, enterprise, uni_user):
    offer = achievement(university)
    marked = challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    match_feedback_set(match=Match.objects.get(challenge=marked), user=uni_user, relevant=True)
    newcomer = challenge(_other_enterprise())  # same field pair, another enterprise
    base = listing_scores(offer).scores[newcomer.pk].parts  # includes the mark already

    listing_match(kind="challenge", listing_id=newcomer.pk)

    match = Match.objects.get(challenge=newcomer)
    assert match.parts["feedback"] == 2.0 == base["feedback"]
    assert float(match.score) == pytest.approx(sum(match.parts.values()), abs=0.2)
    assert "The achievement's owner marked similar matches relevant." in match.reasons_en
    assert match.reasons_zh
    # The marked pair itself is not raised by its own mark.
    assert "feedback" not in Match.objects.get(challenge=marked).parts


def test_not_relevant_marks_lower_similar_pairs_down_to_the_cap_and_both_sides_count(
    university, enterprise, uni_user, ent_user
):
    offer = achievement(university)
    wanted = challenge(enterprise)
    others = [challenge(_other_enterprise()) for _ in range(5)]
    listing_match(kind="achievement", listing_id=offer.pk)
    newcomer = achievement(factories.make_org(region="beijing"))
    before = _base_score(newcomer, wanted)

    for other in others:  # five not-relevant marks by the university on similar pairs
        match_feedback_set(
            match=Match.objects.get(achievement=offer, challenge=other),
            user=uni_user,
            relevant=False,
        )
    # The newcomer's pair with ``wanted`` is similar but the university is not party to it.
    assert _base_score(newcomer, wanted) == before
    # The university's own pair with ``wanted`` is: capped at −8.
    assert listing_scores(offer).scores[wanted.pk].parts["feedback"] == -8.0

    # The enterprise's relevant mark on (newcomer, wanted) counts for the pair (offer, wanted).
    listing_match(kind="achievement", listing_id=newcomer.pk)
    match_feedback_set(
        match=Match.objects.get(achievement=newcomer, challenge=wanted),
        user=ent_user,
        relevant=True,
    )
    scores = listing_scores(offer).scores[wanted.pk]
    assert scores.parts["feedback"] == -8.0  # 2 × (−5 + 1) = −8
    listing_match(kind="achievement", listing_id=offer.pk)
    reasons = Match.objects.get(achievement=offer, challenge=wanted).reasons_en
    assert "The achievement's owner marked similar matches not relevant." in reasons
    assert "The challenge's owner marked similar matches relevant." in reasons


def test_a_pair_gets_the_same_feedback_part_whichever_side_is_matched(
    university, enterprise, uni_user, ent_user
):
    offer = achievement(university)
    wanted = challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    for _ in range(2):
        other = challenge(_other_enterprise())
        listing_match(kind="challenge", listing_id=other.pk)
        match_feedback_set(match=Match.objects.get(challenge=other), user=uni_user, relevant=True)
    from_achievement = listing_scores(offer).scores[wanted.pk]
    from_challenge = listing_scores(wanted).scores[offer.pk]
    assert from_achievement.total == from_challenge.total
    assert from_achievement.parts["feedback"] == 4.0


def test_a_run_reads_feedback_in_one_statement_however_many_marks(university, enterprise, uni_user):
    offer = achievement(university)
    for _ in range(6):
        challenge(_other_enterprise())
    listing_match(kind="achievement", listing_id=offer.pk)

    def feedback_statements() -> int:
        run = count_queries(lambda: listing_match(kind="achievement", listing_id=offer.pk))
        return sum("matching_matchfeedback" in sql for sql in run.statements)

    none = feedback_statements()
    for match in Match.objects.all()[:2]:
        match_feedback_set(match=match, user=uni_user, relevant=True)
    few = feedback_statements()
    for match in Match.objects.all():
        match_feedback_set(match=match, user=uni_user, relevant=False)
    many = feedback_statements()
    assert none == few == many == 1

"""Matching by meaning: the nearest counterparts by embedding are candidates even when they
share no word, the semantic part of the text score is calibrated by language pairing, and
only strong matches are announced. Embeddings are set by hand (a direction of the space per
topic) so that the tests say exactly what is near what."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from marketplace.listings.indexing import EMBEDDED
from marketplace.matching import profiles
from marketplace.matching.handlers import match_embedded_listing
from marketplace.matching.models import Match
from marketplace.matching.scoring import (
    ENGLISH_FLOOR,
    ENGLISH_FULL,
    SEMANTIC_FULL,
    Facts,
    TextEvidence,
    score_pair,
    text_relevance,
)
from marketplace.matching.services import listing_match
from marketplace.outbox.handlers import handlers_for
from marketplace.text import embeddings
from tests.factories import make_achievement, make_challenge

pytestmark = pytest.mark.django_db

# Two listings about the same thing in two languages, with no word in common.
SOLAR_ZH = {
    "title": "钙钛矿叠层太阳电池",
    "summary": "两端叠层器件认证效率超过30%，通过湿热老化测试。",
    "description": "宽带隙组分调控与自组装空穴传输层。",
    "keywords": ["叠层电池"],
    "fields": [],
}
SOLAR_EN = {
    "title": "Wanted: high-efficiency photovoltaic modules for rooftops",
    "summary": "A partner with next-generation cells above 28% for a pilot line.",
    "description": "Damp-heat stability matters as much as efficiency.",
    "keywords": ["pilot line"],
    "fields": [],
    "min_trl": None,
    "cooperation_modes": [],
    "budget_min": None,
    "budget_max": None,
}


def _direction(i: int, tilt: float = 0.0) -> list[float]:
    v = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    v[i] = 1.0
    v[100] = tilt
    return (v / np.linalg.norm(v)).tolist()


def _random(seed: int) -> list[float]:
    """Some other topic: a random direction (orthogonal ones would make a degenerate graph
    for the HNSW index, whose search is approximate)."""
    v = np.random.default_rng(seed).standard_normal(embeddings.DIMENSIONS).astype(np.float32)
    return (v / np.linalg.norm(v)).tolist()


def _embed(listing, vector) -> None:
    type(listing).objects.filter(pk=listing.pk).update(embedding=vector)


@pytest.fixture
def pair(university, enterprise):
    offer = make_achievement(university, **SOLAR_ZH, transaction_modes=[], region="zhejiang")
    wanted = make_challenge(enterprise, **SOLAR_EN, region="guangdong")
    _embed(offer, _direction(0))
    _embed(wanted, _direction(0, tilt=0.2))
    # Unrelated listings, so that the typical cosine of each pairing is known.
    for n in range(12):
        other = make_achievement(university, title=f"无关成果 {n}", summary="别的事", fields=[])
        _embed(other, _random(n + 1))
    return offer, wanted


def test_a_counterpart_that_shares_no_word_is_found_by_meaning(pair):
    offer, wanted = pair
    outcome = listing_match(kind="challenge", listing_id=wanted.pk)
    assert offer.pk in outcome.created
    match = Match.objects.get(achievement=offer, challenge=wanted)
    assert match.parts["text"] > 20  # carried by the semantic part alone
    assert "Their descriptions are close in meaning." in match.reasons_en


def test_without_embeddings_the_same_pair_is_not_found(pair):
    offer, wanted = pair
    type(offer).objects.filter(pk=offer.pk).update(embedding=None)
    listing_match(kind="challenge", listing_id=wanted.pk)
    assert not Match.objects.filter(achievement=offer).exists()


def test_cosines_are_compared_with_the_typical_cosine_of_their_language_pairing(pair):
    offer, wanted = pair
    profiles.profiles_refresh([offer])
    profiles.profiles_refresh([wanted])
    scale = profiles.embedding_scale()
    # A Chinese and an English listing are measured against the cross-language pairs.
    assert scale.z(0.8, english_a=False, english_b=True) == pytest.approx(
        (0.8 - scale.pairings["en-zh"][0]) / scale.pairings["en-zh"][1]
    )
    assert set(scale.pairings) == {"zh-zh", "en-en", "en-zh"}


def test_the_semantic_part_grows_with_the_calibrated_cosine():
    weak = text_relevance(TextEvidence(lexical=0.0, semantic=0.0))
    strong = text_relevance(TextEvidence(lexical=0.0, semantic=SEMANTIC_FULL))
    lexical_only = text_relevance(TextEvidence(lexical=0.0))
    assert weak == lexical_only == 0.0 < strong


def test_two_english_texts_are_compared_by_the_english_model():
    # Its cosine replaces the multilingual one: below the floor it adds nothing, whatever
    # the multilingual model said; at full it carries the semantic share.
    unrelated = TextEvidence(lexical=0.0, semantic=SEMANTIC_FULL, english=ENGLISH_FLOOR)
    close = TextEvidence(lexical=0.0, semantic=0.0, english=ENGLISH_FULL)
    assert text_relevance(unrelated) == 0.0 < text_relevance(close)
    assert {"kind": "semantic"} in score_pair(Facts(), Facts(), close).reasons
    assert {"kind": "semantic"} not in score_pair(Facts(), Facts(), unrelated).reasons


def test_english_pairs_are_scored_with_the_english_embedding(university, enterprise):
    offer = make_achievement(
        university, title="Rooftop photovoltaic modules above 28%", fields=[], region="zhejiang"
    )
    wanted = make_challenge(enterprise, **SOLAR_EN, region="guangdong")
    others = [
        make_achievement(university, title=f"Unrelated result {n}", fields=[]) for n in range(6)
    ]
    for listing, vector in [(offer, _direction(0)), (wanted, _direction(0, tilt=0.2))]:
        type(listing).objects.filter(pk=listing.pk).update(embedding_en=vector)
    for n, other in enumerate(others):
        type(other).objects.filter(pk=other.pk).update(embedding_en=_random(n + 50))
    listing_match(kind="challenge", listing_id=wanted.pk)
    match = Match.objects.get(achievement=offer, challenge=wanted)
    assert "Their descriptions are close in meaning." in match.reasons_en


def test_a_listing_is_matched_again_when_its_embedding_arrives(pair, monkeypatch):
    offer, wanted = pair
    assert match_embedded_listing in handlers_for(EMBEDDED)
    match_embedded_listing({"kind": "challenge", "id": wanted.pk})
    assert Match.objects.filter(achievement=offer, challenge=wanted).exists()


def test_only_strong_matches_are_announced_and_a_rising_one_once(
    pair, settings, told, uni_user, ent_user
):
    offer, wanted = pair
    settings.MATCH_NOTIFY_THRESHOLD = 101  # nothing is strong enough
    listing_match(kind="challenge", listing_id=wanted.pk)
    assert Match.objects.filter(achievement=offer, challenge=wanted).exists()  # kept...
    assert told == []  # ...for the matches page, not announced

    # The pair rises past the threshold (an earlier run scored it below).
    settings.MATCH_NOTIFY_THRESHOLD = 1
    Match.objects.filter(achievement=offer).update(score=0.5)
    listing_match(kind="challenge", listing_id=wanted.pk)
    listing_match(kind="challenge", listing_id=wanted.pk)
    kept = Match.objects.get(achievement=offer, challenge=wanted)
    assert sorted({key for _email, key, _link in told}) == [f"match:{kept.pk}"]
    assert len(told) == len(set(told))  # each person once


def test_the_matches_page_says_when_no_match_is_strong(client_for, pair, ent_user, settings):
    _offer, wanted = pair
    listing_match(kind="challenge", listing_id=wanted.pk)
    page = reverse("matching:challenge_matches", args=[wanted.pk])
    settings.MATCH_NOTIFY_THRESHOLD = 101
    response = client_for(ent_user).get(page)
    assert response.status_code == 200
    assert b'data-testid="no-strong-match"' in response.content
    settings.MATCH_NOTIFY_THRESHOLD = 0
    assert b'data-testid="no-strong-match"' not in client_for(ent_user).get(page).content

"""Candidates come from the full-text index: a relevant listing is found among many
irrelevant ones without scoring them all (PostgreSQL)."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.listings.indexing import listings_reindex
from marketplace.listings.models import Challenge
from marketplace.matching import profiles, retrieval
from marketplace.matching.models import Match
from marketplace.matching.services import listing_match, listing_scores
from tests import factories

from .helpers import achievement, challenge

pytestmark = pytest.mark.django_db

WORDS = [
    "rice",
    "wheat",
    "soil",
    "irrigation",
    "drone",
    "battery",
    "cathode",
    "hydrogen",
    "vaccine",
    "antibody",
    "robot",
    "gear",
    "bearing",
    "casting",
    "welding",
    "sensor",
    "antenna",
    "fibre",
    "polymer",
    "resin",
    "coating",
    "ceramic",
    "alloy",
    "wastewater",
    "membrane",
    "catalyst",
    "lidar",
    "radar",
    "turbine",
    "inverter",
    "grid",
    "nuclear",
    "enzyme",
    "probiotic",
    "greenhouse",
]


def _noise(org, n: int) -> list[Challenge]:
    rng = random.Random(7)
    now = timezone.now()
    rows = [
        Challenge(
            organization=org,
            title=" ".join(rng.sample(WORDS, 4)),
            summary=" ".join(rng.sample(WORDS, 8)),
            description=" ".join(rng.sample(WORDS, 12)),
            keywords=rng.sample(WORDS, 2),
            region="zhejiang",
            deadline=timezone.localdate() + timezone.timedelta(days=30),
            cooperation_modes=["licence"],
            status="published",
            published_at=now,
        )
        for _ in range(n)
    ]
    Challenge.objects.bulk_create(rows)
    listings_reindex(Challenge, [c.pk for c in rows])
    return rows


def test_a_relevant_listing_is_found_among_many_irrelevant_ones(settings, university, enterprise):
    settings.MATCH_CANDIDATES = 10
    settings.MATCH_FIELD_CANDIDATES = 0
    _noise(enterprise, 400)
    wanted = factories.make_challenge(
        enterprise,
        title="Metal-oxide photoresist for EUV lithography",
        summary="Looking for a high-sensitivity EUV photoresist.",
        description="Line-edge roughness below 2 nm.",
        keywords=["photoresist"],
        fields=[],
    )
    listings_reindex(Challenge, [wanted.pk])
    offer = achievement(university, fields=[])
    profile = profiles.profiles_refresh([offer])[offer.pk]

    ids = retrieval.candidate_ids(
        offer, terms=profile.terms, surfaces=profile.surfaces, stats=profiles.corpus_stats()
    )

    assert wanted.pk in ids
    assert len(ids) <= 10


def test_candidates_are_read_through_the_search_vector_and_limited(
    settings, university, enterprise
):
    settings.MATCH_CANDIDATES = 5
    _noise(enterprise, 50)
    offer = achievement(university, fields=[])
    with CaptureQueriesContext(connection) as queries:
        scores = listing_scores(offer).scores
    assert len(scores) <= 5
    assert any("search_vector" in q["sql"] and "LIMIT 5" in q["sql"] for q in queries)
    # Scoring never reads every counterpart: no query selects challenges without a limit
    # or an id list.
    for q in queries:
        sql = q["sql"]
        if 'FROM "listings_challenge"' in sql and "COUNT" not in sql.upper():
            assert "LIMIT" in sql or " IN (" in sql, sql


def test_the_candidate_cap_keeps_the_best_candidates(settings, university, enterprise):
    """Ranked in SQL, capped before scoring: the few candidates kept are those about the
    listing's subject, and matching keeps the same best pairs as with no real cap."""
    settings.MATCH_FIELD_CANDIDATES = 0
    settings.MATCH_VECTOR_CANDIDATES = 0  # the full-text candidates alone, here
    settings.MATCH_MAX_PER_LISTING = 3
    _noise(enterprise, 100)
    # The best first, so that the newest would not be the best.
    best = [challenge(enterprise, fields=[]) for _ in range(3)]
    rng = random.Random(3)
    passing = [
        factories.make_challenge(
            enterprise,
            title=" ".join(rng.sample(WORDS, 4)),
            summary=" ".join(rng.sample(WORDS, 8)),
            description=" ".join([*rng.sample(WORDS, 10), "photoresist"]),
            keywords=rng.sample(WORDS, 2),
            fields=[],
        )
        for _ in range(12)
    ]
    listings_reindex(Challenge, [c.pk for c in passing])
    offer = achievement(university, fields=[])
    profile = profiles.profiles_refresh([offer])[offer.pk]

    settings.MATCH_CANDIDATES = 3
    ids = retrieval.candidate_ids(
        offer, terms=profile.terms, surfaces=profile.surfaces, stats=profiles.corpus_stats()
    )
    assert sorted(ids) == sorted(c.pk for c in best)
    capped = listing_match(kind="achievement", listing_id=offer.pk)

    Match.objects.all().delete()
    settings.MATCH_CANDIDATES = 1000
    uncapped = listing_match(kind="achievement", listing_id=offer.pk)
    assert capped.created == uncapped.created
    assert sorted(capped.created) == sorted(c.pk for c in best)

"""Listing profiles (weighted terms, language) and the corpus statistics built from them.
(The embeddings live on the listings themselves: ``listings.indexing``.)"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from multiprocessing import Pool

import numpy as np
from django.conf import settings
from django.db import connection, connections, transaction

from marketplace.listings.choices import ListingStatus
from marketplace.listings.kinds import Listing
from marketplace.listings.models import Achievement, Challenge
from marketplace.matching.models import ListingProfile
from marketplace.matching.terms import CorpusStats, term_vector
from marketplace.text import embeddings
from marketplace.text.analysis import is_english
from marketplace.text.glossary import GLOSSARY_FILE

# Bump when the analysis changes (tokens, stemming, weights); the glossary's content counts
# by itself. A profile made by another analysis is rebuilt: ``rebuild_match_profiles``.
ANALYSIS = "terms-1"


def listing_parts(listing: Listing) -> dict[str, str]:
    # A title or summary in the other language counts as the title or summary.
    return {
        "title": f"{listing.title or ''} {listing.alt_title or ''}".strip(),
        "keywords": " ".join(listing.keywords or []),
        "summary": f"{listing.summary or ''} {listing.alt_summary or ''}".strip(),
        "description": listing.description or "",
    }


@cache
def _analysis_version() -> bytes:
    return ANALYSIS.encode() + hashlib.sha256(GLOSSARY_FILE.read_bytes()).digest()


def _hash(parts: dict[str, str]) -> str:
    digest = hashlib.sha256(_analysis_version())
    for name in sorted(parts):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(parts[name].encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _owner(listing: Listing) -> str:
    return listing.kind


def profiles_stored(model: type[Listing], ids: Sequence[int]) -> dict[int, ListingProfile]:
    """The stored profiles of listings of one kind, as they are: {listing id: profile}."""
    column = f"{model.kind}_id"
    return {getattr(p, column): p for p in ListingProfile.objects.filter(**{f"{column}__in": ids})}


def needs_refresh(profile: ListingProfile | None) -> bool:
    """Whether a stored profile is missing. (Whether its text changed is only checked for
    the listing being matched.)"""
    return profile is None


def profiles_refresh(listings: Sequence[Listing]) -> dict[int, ListingProfile]:
    """The current profile of each listing (all of one kind), building what is missing or
    stale in one batch. Returns {listing id: profile}."""
    if not listings:
        return {}
    owner = _owner(listings[0])
    profiles = profiles_stored(type(listings[0]), [x.pk for x in listings])
    to_create, to_update = [], []
    for listing in listings:
        parts = listing_parts(listing)
        text_hash = _hash(parts)
        profile = profiles.get(listing.pk)
        fresh = profile is not None and profile.text_hash == text_hash
        if not fresh:
            vector = term_vector(parts)
            if profile is None:
                profile = ListingProfile(**{owner: listing})
                profiles[listing.pk] = profile
                to_create.append(profile)
            else:
                to_update.append(profile)
            profile.terms = vector.weights
            profile.surfaces = vector.surfaces
            profile.english = is_english(" ".join(parts.values()))
            profile.text_hash = text_hash
    if to_create:
        ListingProfile.objects.bulk_create(to_create)
    if to_update:
        ListingProfile.objects.bulk_update(to_update, ["terms", "surfaces", "english", "text_hash"])
    return profiles


def _analyse(parts: dict[str, str]) -> tuple[dict, dict, bool, str]:
    vector = term_vector(parts)
    return vector.weights, vector.surfaces, is_english(" ".join(parts.values())), _hash(parts)


def profiles_rebuild(
    model: type[Listing],
    ids: Iterable[int],
    *,
    processes: int = 1,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """(Re)build the profiles of many listings of one kind, in batches, the text analysis
    spread over ``processes`` worker processes. For bulk loads and analysis changes."""
    ids = list(ids)
    owner = model.kind
    pool = None
    if processes > 1:
        connections.close_all()  # never share a connection with forked workers
        pool = Pool(processes)
    done = 0
    try:
        for start in range(0, len(ids), batch):
            listings = list(model.objects.filter(pk__in=ids[start : start + batch]))
            parts = [listing_parts(x) for x in listings]
            results = pool.map(_analyse, parts, chunksize=25) if pool else map(_analyse, parts)
            stored = profiles_stored(model, [x.pk for x in listings])
            to_create, to_update = [], []
            for listing, (weights, surfaces, english, text_hash) in zip(
                listings, results, strict=True
            ):
                profile = stored.get(listing.pk)
                if profile is None:
                    profile = ListingProfile(**{owner: listing})
                    to_create.append(profile)
                else:
                    to_update.append(profile)
                profile.terms, profile.surfaces, profile.english = weights, surfaces, english
                profile.text_hash = text_hash
            with transaction.atomic():
                ListingProfile.objects.bulk_create(to_create)
                ListingProfile.objects.bulk_update(
                    to_update, ["terms", "surfaces", "english", "text_hash"]
                )
            done += len(listings)
            if progress:
                progress(done)
    finally:
        if pool:
            pool.close()
            pool.join()
    stats_forget()
    return done


# --- Corpus statistics ---------------------------------------------------------------------
# Document frequencies over every profile (both kinds), computed in the database and kept
# per process for MATCH_STATS_SECONDS: IDF moves slowly, and the aggregate over 100k
# profiles takes seconds.
_stats: dict = {"at": 0.0, "value": None}


def _frequencies_sql() -> str:
    table = ListingProfile._meta.db_table
    return (
        f"SELECT key, count(*) FROM {table}, jsonb_object_keys({table}.terms) AS key "  # noqa: S608
        "GROUP BY key"
    )


def corpus_stats() -> CorpusStats:
    now = time.monotonic()
    cached = _stats["value"]
    if cached is not None and now - _stats["at"] < settings.MATCH_STATS_SECONDS:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(_frequencies_sql())
        frequencies = dict(cursor.fetchall())
    value = CorpusStats(ListingProfile.objects.count(), frequencies)
    _stats.update(at=now, value=value)
    return value


def stats_forget() -> None:
    """Drop the cached statistics (after loading many listings at once, and in tests)."""
    _stats.update(at=0.0, value=None)
    _scale.update(at=0.0, value=None)


# --- Embedding scale -------------------------------------------------------------------------
# How alike the embeddings of two listings that have nothing to do with each other typically
# are, per language pairing: the mean and spread of the cosine over a sample of published
# achievement-challenge pairs, recomputed every MATCH_STATS_SECONDS like the term statistics.
# Most pairs of a marketplace are unrelated, so the sample's mean is that of unrelated pairs.
# Until a pairing has EMBEDDING_SCALE_MIN_PAIRS pairs in the sample, the model's typical
# figures stand in (``embeddings.typical_unrelated``).
EMBEDDING_SCALE_SAMPLE = 300  # listings of each kind
EMBEDDING_SCALE_MIN_PAIRS = 30
_scale: dict = {"at": 0.0, "value": None}


def pairing(english_a: bool, english_b: bool) -> str:
    return "-".join(sorted("en" if e else "zh" for e in (english_a, english_b)))


@dataclass(frozen=True)
class EmbeddingScale:
    """{pairing: (mean, standard deviation)} of unrelated pairs' cosines."""

    pairings: dict[str, tuple[float, float]]

    def z(self, similarity: float, english_a: bool, english_b: bool) -> float:
        """The cosine in standard deviations above a typical pair of the same pairing."""
        mean, spread = self.pairings[pairing(english_a, english_b)]
        return (similarity - mean) / max(spread, 1e-3)


def embedding_scale() -> EmbeddingScale:
    now = time.monotonic()
    cached = _scale["value"]
    if cached is not None and now - _scale["at"] < settings.MATCH_STATS_SECONDS:
        return cached
    sample = {}
    for model in (Achievement, Challenge):
        rows = list(
            model.objects.filter(
                status=ListingStatus.PUBLISHED,
                embedding__isnull=False,
                match_profile__isnull=False,
            )
            .order_by("?")
            .values_list("embedding", "match_profile__english")[:EMBEDDING_SCALE_SAMPLE]
        )
        sample[model] = rows
    pairings = dict(embeddings.typical_unrelated())
    if sample[Achievement] and sample[Challenge]:
        a = np.array([v for v, _ in sample[Achievement]], dtype=np.float32)
        c = np.array([v for v, _ in sample[Challenge]], dtype=np.float32)
        cosines = a @ c.T
        a_en = np.array([e for _, e in sample[Achievement]])
        c_en = np.array([e for _, e in sample[Challenge]])
        for key in list(pairings):
            mask = np.zeros(cosines.shape, dtype=bool)
            for ea in (True, False):
                for ec in (True, False):
                    if pairing(ea, ec) == key:
                        mask |= np.outer(a_en == ea, c_en == ec)
            values = cosines[mask]
            if values.size >= EMBEDDING_SCALE_MIN_PAIRS:
                pairings[key] = (float(values.mean()), float(values.std()))
    value = EmbeddingScale(pairings)
    _scale.update(at=now, value=value)
    return value

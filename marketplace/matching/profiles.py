"""Listing profiles (terms and embeddings) and the corpus statistics built from them."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from multiprocessing import Pool

from django.conf import settings
from django.db import connection, connections, transaction

from marketplace.listings.kinds import Listing
from marketplace.matching import semantic
from marketplace.matching.models import ListingProfile
from marketplace.matching.terms import GLOSSARY_FILE, CorpusStats, is_english, term_vector

# Bump when the analysis changes (tokens, stemming, weights); the glossary's content counts
# by itself. A profile made by another analysis is rebuilt: ``rebuild_match_profiles``.
ANALYSIS = "terms-1"


def listing_parts(listing: Listing) -> dict[str, str]:
    return {
        "title": listing.title or "",
        "keywords": " ".join(listing.keywords or []),
        "summary": listing.summary or "",
        "description": listing.description or "",
    }


def embedding_text(parts: dict[str, str]) -> str:
    # Title and keywords first: the model reads only the first 256 word pieces.
    return ". ".join(p for p in (parts["title"], parts["keywords"], parts["summary"]) if p) + (
        "\n" + parts["description"] if parts["description"] else ""
    )


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
    """Whether a stored profile is missing, or lacks the embedding the settings ask for.
    (Whether its text changed is only checked for the listing being matched.)"""
    if profile is None:
        return True
    return profile.english and profile.embedding_model != semantic.MODEL_NAME and semantic.enabled()


def profiles_refresh(listings: Sequence[Listing]) -> dict[int, ListingProfile]:
    """The current profile of each listing (all of one kind), building what is missing or
    stale in one batch. Returns {listing id: profile}."""
    if not listings:
        return {}
    owner = _owner(listings[0])
    profiles = profiles_stored(type(listings[0]), [x.pk for x in listings])
    want_embeddings = semantic.enabled()
    to_create, to_update, to_embed = [], [], []
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
            profile.embedding, profile.embedding_model = None, ""
        if want_embeddings and profile.english and profile.embedding_model != semantic.MODEL_NAME:
            to_embed.append((profile, embedding_text(parts)))
            if fresh and profile not in to_update:
                to_update.append(profile)
    if to_embed:
        vectors = semantic.embed([text for _p, text in to_embed])
        for (profile, _text), vector in zip(to_embed, vectors, strict=True):
            profile.embedding, profile.embedding_model = vector, semantic.MODEL_NAME
    if to_create:
        ListingProfile.objects.bulk_create(to_create)
    if to_update:
        ListingProfile.objects.bulk_update(
            to_update,
            ["terms", "surfaces", "english", "text_hash", "embedding", "embedding_model"],
        )
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
            to_create, to_update, to_embed = [], [], []
            for listing, part, (weights, surfaces, english, text_hash) in zip(
                listings, parts, results, strict=True
            ):
                profile = stored.get(listing.pk)
                if profile is None:
                    profile = ListingProfile(**{owner: listing})
                    to_create.append(profile)
                else:
                    to_update.append(profile)
                profile.terms, profile.surfaces, profile.english = weights, surfaces, english
                profile.text_hash = text_hash
                profile.embedding, profile.embedding_model = None, ""
                if english and semantic.enabled():
                    to_embed.append((profile, embedding_text(part)))
            if to_embed:
                vectors = semantic.embed([text for _p, text in to_embed])
                for (profile, _text), vector in zip(to_embed, vectors, strict=True):
                    profile.embedding, profile.embedding_model = vector, semantic.MODEL_NAME
            with transaction.atomic():
                ListingProfile.objects.bulk_create(to_create)
                ListingProfile.objects.bulk_update(
                    to_update,
                    ["terms", "surfaces", "english", "text_hash", "embedding", "embedding_model"],
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

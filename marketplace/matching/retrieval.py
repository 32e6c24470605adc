"""Candidate retrieval: the few hundred counterparts worth scoring, found through indexes.

An OR query of the listing's most distinctive terms against the stored,
GIN-indexed ``search_vector`` (the one vector builder of ``listings.indexing``), best
``ts_rank`` first, plus the newest counterparts in the same fields (through the
fields table) and the nearest by embedding (the HNSW index), which find pairs that share no
word, such as a Chinese and an English one.
Only matchable counterparts (published, not expired, another organisation).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from marketplace.listings.choices import ListingStatus
from marketplace.listings.kinds import Listing, ListingModel, column, counterpart_model
from marketplace.listings.models import Achievement, TechnicalField
from marketplace.listings.selectors import nearest_listings
from marketplace.matching.terms import CorpusStats, distinctive_terms
from marketplace.text.glossary import CONCEPT, glossary
from marketplace.text.postgres import CONFIG


def matchable(model: ListingModel, now: datetime | None = None) -> QuerySet:
    """Listings that may be matched: published and not past their expiry or deadline."""
    now = now or timezone.now()
    queryset = model.objects.filter(status=ListingStatus.PUBLISHED)
    if model is Achievement:
        return queryset.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return queryset.filter(deadline__gte=timezone.localdate(now))


def query_terms(terms: dict[str, float], stats: CorpusStats) -> list[str]:
    """The most distinctive terms whose posting lists together stay within a budget (twice
    times the candidate pool), so that the index lookup stays cheap however common the
    words; at least the rarest term."""
    budget = 2 * settings.MATCH_CANDIDATE_POOL
    chosen, postings = [], 0
    for term in distinctive_terms(terms, stats, len(terms)):
        df = stats.frequencies.get(term, 0)
        if postings + df > budget:
            continue
        chosen.append(term)
        postings += df
        if len(chosen) == settings.MATCH_QUERY_TERMS:
            break
    if not chosen and terms:
        chosen = [min(terms, key=lambda t: (stats.frequencies.get(t, 0), t))]
    return chosen


def text_query(terms: dict[str, float], surfaces: dict[str, str], stats: CorpusStats):
    """OR of the listing's most distinctive terms, each analysed as the vectors were."""
    query = None
    concepts = glossary().forms
    for term in query_terms(terms, stats):
        # A glossary concept is looked for in all its forms, in both languages.
        words = concepts[term] if term.startswith(CONCEPT) else [surfaces.get(term, term)]
        for word in words:
            piece = SearchQuery(word, search_type="plain", config=CONFIG)
            query = piece if query is None else query | piece
    return query


def candidate_ids(
    listing: Listing,
    *,
    terms: dict[str, float],
    surfaces: dict[str, str],
    stats: CorpusStats,
    limit: int | None = None,
) -> list[int]:
    """Ids of the counterparts to score: the full-text hits, most promising first, at most
    ``limit``, then the same-field ones and the nearest by embedding not among them."""
    limit = limit or settings.MATCH_CANDIDATES
    model = counterpart_model(listing)
    base = matchable(model).exclude(organization_id=listing.organization_id)

    ids: list[int] = []
    query = text_query(terms, surfaces, stats)
    if query is not None:
        # Rank at most MATCH_CANDIDATE_POOL hits: ts_rank reads each hit's vector, and a
        # query of common words can hit tens of thousands of rows.
        hits = (
            base.filter(search_vector=query)
            .order_by()
            .values("pk")[: settings.MATCH_CANDIDATE_POOL]
        )
        ids = list(
            model.objects.filter(pk__in=hits)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-pk")
            .values_list("pk", flat=True)[:limit]
        )
    # The same fields, even without a shared word (a Chinese listing and an English one):
    # a sub-field brings its own listings, a field those of the field and its sub-fields.
    fields = list(listing.fields.all())
    if fields and settings.MATCH_FIELD_CANDIDATES:
        field_ids = {f.pk for f in fields} | set(
            TechnicalField.objects.filter(
                parent__in=[f.pk for f in fields if f.parent_id is None]
            ).values_list("pk", flat=True)
        )
        # Through the fields table's index first (newest ids first), then the filters.
        own = column(model)
        recent = (
            model.fields.through.objects.filter(technicalfield_id__in=field_ids)
            .order_by(f"-{own}")
            .values_list(own, flat=True)[: 3 * settings.MATCH_FIELD_CANDIDATES]
        )
        seen = set(ids)
        same_field = base.filter(pk__in=list(dict.fromkeys(recent))).order_by("-pk")
        ids += [
            pk
            for pk in same_field.values_list("pk", flat=True)[: settings.MATCH_FIELD_CANDIDATES]
            if pk not in seen
        ]
    # The nearest in meaning (embeddings), which may share no word: another language, other
    # terms for the same thing.
    # For an English listing, the nearest by the English model too.
    for field in ("embedding", "embedding_en"):
        vector = getattr(listing, field)
        if vector is None or not settings.MATCH_VECTOR_CANDIDATES:
            continue
        seen = set(ids)
        ids += [
            pk
            for pk, _similarity in nearest_listings(
                base, vector, limit=settings.MATCH_VECTOR_CANDIDATES, field=field
            )
            if pk not in seen
        ]
    return ids

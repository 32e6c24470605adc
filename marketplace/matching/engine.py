"""The read half of matching: the candidates of a listing, and its score against each.

``listing_scores`` is what ``services.listing_match`` (and a broker's recommendation, and the
benchmark) runs before writing anything: the listing's profile → candidates from the index
(``retrieval``) → the facts of both sides (``facts_of``, one query) → each pair's score with
the feedback part learned from both sides' marks (``feedback_learned``, one query). Nothing
is written but profiles. Only the pairs that will be written get their shared terms worded
(``PairScores.explained``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from django.db import models
from pgvector.django import CosineDistance

from marketplace.listings.choices import ListingKind
from marketplace.listings.kinds import Listing, column, counterpart_model, pair_of
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.matching import feedback as learning
from marketplace.matching import profiles as profile_store
from marketplace.matching import retrieval
from marketplace.matching.models import ListingProfile, MatchFeedback
from marketplace.matching.scoring import Facts, FieldRef, Score, TextEvidence, score_pair
from marketplace.matching.terms import CorpusStats, cosine_weighted, shared_terms, weighted


def _field_refs() -> dict[int, FieldRef]:
    return {
        pk: FieldRef(code, parent)
        for pk, code, parent in TechnicalField.objects.values_list("pk", "code", "parent__code")
    }


def facts_of(listings: Sequence[Listing], *, refs: dict[int, FieldRef]) -> dict[int, Facts]:
    """Scoring's view of listings of one kind, with their fields in one query; ``refs`` are
    the technical fields by id (``_field_refs``)."""
    if not listings:
        return {}
    model = type(listings[0])
    own = column(model)
    fields: dict[int, set[FieldRef]] = {}
    through = model.fields.through.objects.filter(**{f"{own}__in": [x.pk for x in listings]})
    for listing_id, field_id in through.values_list(own, "technicalfield_id"):
        fields.setdefault(listing_id, set()).add(refs[field_id])
    out = {}
    for x in listings:
        common = {"fields": frozenset(fields.get(x.pk, ())), "region": x.region or ""}
        if x.kind == ListingKind.ACHIEVEMENT:
            price = None if x.price_negotiable or x.asking_price is None else float(x.asking_price)
            out[x.pk] = Facts(
                **common, modes=frozenset(x.transaction_modes or []), trl=x.trl, price=price
            )
        else:
            out[x.pk] = Facts(
                **common,
                modes=frozenset(x.cooperation_modes or []),
                trl=x.min_trl,
                budget_min=None if x.budget_min is None else float(x.budget_min),
                budget_max=None if x.budget_max is None else float(x.budget_max),
            )
    return out


class PairScores:
    """The listing's score against each counterpart (see ``pairs_score``).

    ``scores`` holds every candidate's total, parts and reasons except the shared terms:
    those need the counterpart's whole weighted vector and its readable word forms, and only
    the few pairs that are written show them. ``explained`` adds them for the pairs asked for.
    Both include the feedback part (``feedback.py``); ``learned`` answers who marked what.
    """

    def __init__(
        self,
        listing: Listing,
        own_profile: ListingProfile,
        own_vector: dict[str, float],
        stats: CorpusStats,
        pairs: dict[int, tuple[Facts, Facts, TextEvidence]],
        terms: dict[int, dict[str, float]],
        adjustments: dict[int, learning.Adjustment] | None = None,
        learned: learning.Learned | None = None,
    ) -> None:
        self.listing = listing
        self._own_vector = own_vector
        self._own_surfaces = own_profile.surfaces
        self._stats = stats
        self._pairs = pairs  # counterpart id → (achievement facts, challenge facts, evidence)
        self._terms = terms
        self._adjustments = adjustments or {}
        self.learned = learned or learning.Learned()
        self.scores: dict[int, Score] = {
            pk: self._adjusted(pk, score_pair(*pair)) for pk, pair in pairs.items()
        }

    def _adjusted(self, pk: int, score: Score) -> Score:
        return learning.apply(score, self._adjustments.get(pk, learning.NONE))

    def pair(self, counterpart_id: int) -> learning.Pair:
        """(achievement id, challenge id) of the listing and a counterpart."""
        ids = pair_of(self.listing, counterpart_id)
        return (ids["achievement_id"], ids["challenge_id"])

    def explained(self, ids: Sequence[int]) -> dict[int, Score]:
        """{counterpart id: Score with the shared terms among its reasons}, in ``ids`` order;
        the counterparts' word forms are read in one query."""
        if not ids:
            return {}
        other = column(counterpart_model(self.listing))
        surfaces = dict(
            ListingProfile.objects.filter(**{f"{other}__in": ids}).values_list(other, "surfaces")
        )
        out = {}
        for pk in ids:
            achievement, challenge, evidence = self._pairs[pk]
            vector = weighted(self._terms[pk], self._stats)
            terms = shared_terms(
                self._own_vector,
                vector,
                {**surfaces.get(pk, {}), **self._own_surfaces},
                stats=self._stats,
            )
            score = score_pair(achievement, challenge, replace(evidence, terms=tuple(terms)))
            out[pk] = self._adjusted(pk, score)
        return out


def pairs_score(
    listing: Listing,
    counterparts: Sequence[Listing],
    profiles: dict[int, ListingProfile],
    own_profile: ListingProfile,
    stats: CorpusStats,
    *,
    refs: dict[int, FieldRef],
    learned: learning.Learned | None = None,
) -> PairScores:
    """Score the listing against each counterpart; ``profiles`` by counterpart id; the
    feedback part from the ``learned`` marks, if any."""
    own_facts = facts_of([listing], refs=refs)[listing.pk]
    other_facts = facts_of(counterparts, refs=refs)
    own_vector = weighted(own_profile.terms, stats)
    scale = profile_store.embedding_scale()
    pairs = {}
    for counterpart in counterparts:
        # The cosine of the two embeddings (``listing_scores`` asks the database), in standard
        # deviations above a typical pair of the same languages.
        similarity = getattr(counterpart, "similarity", None)
        evidence = TextEvidence(
            lexical=cosine_weighted(own_vector, profiles[counterpart.pk].terms, stats),
            semantic=None
            if similarity is None
            else scale.z(similarity, own_profile.english, profiles[counterpart.pk].english),
            # Two English texts: the English model's cosine too.
            english=getattr(counterpart, "similarity_en", None),
            pairing=profile_store.pairing(own_profile.english, profiles[counterpart.pk].english),
        )
        if listing.kind == ListingKind.ACHIEVEMENT:
            pairs[counterpart.pk] = (own_facts, other_facts[counterpart.pk], evidence)
        else:
            pairs[counterpart.pk] = (other_facts[counterpart.pk], own_facts, evidence)
    terms = {c.pk: profiles[c.pk].terms for c in counterparts}
    adjustments = {}
    if learned:
        own_codes = [f.code for f in own_facts.fields]
        for c in counterparts:
            other_codes = [f.code for f in other_facts[c.pk].fields]
            if listing.kind == ListingKind.ACHIEVEMENT:
                pair, orgs = (listing.pk, c.pk), (listing.organization_id, c.organization_id)
                field_pairs = learning.field_pairs(own_codes, other_codes)
            else:
                pair, orgs = (c.pk, listing.pk), (c.organization_id, listing.organization_id)
                field_pairs = learning.field_pairs(other_codes, own_codes)
            adjustments[c.pk] = learned.adjustment(
                pair=pair,
                achievement_organization=orgs[0],
                challenge_organization=orgs[1],
                pairs=field_pairs,
            )
    return PairScores(listing, own_profile, own_vector, stats, pairs, terms, adjustments, learned)


def feedback_learned(
    listing: Listing, organization_ids: Iterable[int], *, refs: dict[int, FieldRef]
) -> learning.Learned:
    """The marks of these organisations that bear on pairs of the listing, in one query:
    those on the listing's own matches, and those on matches that name one of the
    listing's fields on its side (only those can share a field pair with its pairs)."""
    kind = listing.kind
    model = type(listing)
    own_fields = model.fields.through.objects.filter(**{column(model): listing.pk}).values(
        "technicalfield_id"
    )
    rows = (
        MatchFeedback.objects.filter(organization_id__in=set(organization_ids))
        .filter(
            models.Q(**{f"match__{kind}_id": listing.pk})
            | models.Q(**{f"match__{kind}__fields__in": own_fields})
        )
        .values_list(
            "organization_id",
            "relevant",
            "match__achievement_id",
            "match__challenge_id",
            "match__achievement__fields",
            "match__challenge__fields",
        )
        .order_by()
    )
    marks: dict[tuple[int, learning.Pair], tuple[bool, set[learning.FieldPair]]] = {}
    for organization_id, relevant, achievement_id, challenge_id, a_field, c_field in rows:
        _relevant, pairs = marks.setdefault(
            (organization_id, (achievement_id, challenge_id)), (relevant, set())
        )
        if a_field is not None and c_field is not None:
            pairs.add((refs[a_field].code, refs[c_field].code))
    return learning.Learned(
        learning.Mark(organization_id, pair, relevant, frozenset(pairs))
        for (organization_id, pair), (relevant, pairs) in marks.items()
    )


# Scoring reads these columns of counterparts, never their (long) texts.
_COMMON_COLUMNS = ("pk", "organization_id", "region", "status")
_FACT_COLUMNS = {
    Achievement: (
        *_COMMON_COLUMNS,
        "trl",
        "transaction_modes",
        "price_negotiable",
        "asking_price",
        "title",
    ),
    Challenge: (
        *_COMMON_COLUMNS,
        "min_trl",
        "cooperation_modes",
        "budget_min",
        "budget_max",
        "title",
    ),
}
# ... and these of their profiles (the word forms only for the pairs written: ``explained``).
_PROFILE_COLUMNS = ("terms", "english")


def listing_scores(
    listing: Listing, extra_ids: Iterable[int] = (), *, retrieve: bool = True
) -> PairScores:
    """Candidates from the index (plus ``extra_ids``; only those with ``retrieve=False``)
    and their scores with the feedback of both sides of each pair, nothing written but
    profiles. The read half of ``listing_match``; the benchmark times it too."""
    own_profile = profile_store.profiles_refresh([listing])[listing.pk]
    stats = profile_store.corpus_stats()
    ids = []
    if retrieve:
        ids = retrieval.candidate_ids(
            listing, terms=own_profile.terms, surfaces=own_profile.surfaces, stats=stats
        )
    wanted = list(dict.fromkeys([*ids, *extra_ids]))
    model = counterpart_model(listing)
    # Counterparts, their profiles and the cosine of their embedding with the listing's, in
    # one query.
    counterparts = retrieval.matchable(model).exclude(organization_id=listing.organization_id)
    if listing.embedding is not None:
        counterparts = counterparts.annotate(
            similarity=1.0 - CosineDistance("embedding", listing.embedding)
        )
    if listing.embedding_en is not None:
        counterparts = counterparts.annotate(
            similarity_en=1.0 - CosineDistance("embedding_en", listing.embedding_en)
        )
    counterparts = list(
        counterparts.filter(pk__in=wanted)
        .select_related("match_profile")
        .only(*_FACT_COLUMNS[model], *(f"match_profile__{name}" for name in _PROFILE_COLUMNS))
    )
    profiles = {c.pk: getattr(c, "match_profile", None) for c in counterparts}
    stale = [pk for pk, profile in profiles.items() if profile_store.needs_refresh(profile)]
    if stale:
        # Listings published before matching existed, or loaded in bulk (``bench_data``).
        profiles.update(profile_store.profiles_refresh(list(model.objects.filter(pk__in=stale))))
    refs = _field_refs()
    learned = feedback_learned(
        listing, {listing.organization_id, *(c.organization_id for c in counterparts)}, refs=refs
    )
    return pairs_score(
        listing, counterparts, profiles, own_profile, stats, refs=refs, learned=learned
    )

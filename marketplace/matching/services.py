"""Writes of matching: matching a listing, dismissing and restoring a match, feedback on a
match (``match_feedback_set``) and a broker's recommendation (``match_recommend``).

``listing_match`` is what the outbox handler runs after a publication commits::

    load the listing (locked) → refuse unless matchable → its profile (terms, embedding)
    → candidates from the index (a few hundred, best first) → score each pair, with the
    feedback part learned from both sides' marks (one query) → keep those ≥
    MATCH_THRESHOLD, best MATCH_MAX_PER_LISTING, leaving out pairs the listing's
    organisation marked not relevant → re-score this listing's other engine matches →
    upsert the kept and the still-standing ones in one statement, delete those that fell
    below the threshold (unless dismissed or given feedback) → notify both organisations of
    each NEW match

Only the pairs written get their reasons worded, and a run's number of statements does not
grow with the number of matches (``notify`` aside).

It is idempotent: run twice, it finds every pair already there, updates scores and tells
nobody again.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.choices import MembershipStatus
from accounts.models import Membership, User
from accounts.selectors import active_membership, broker_region
from marketplace.listings.choices import ListingKind
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.matching import feedback as learning
from marketplace.matching import profiles as profile_store
from marketplace.matching import reasons as reason_text
from marketplace.matching import retrieval, semantic
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import ListingProfile, Match, MatchFeedback
from marketplace.matching.scoring import Facts, FieldRef, Score, TextEvidence, score_pair
from marketplace.matching.terms import CorpusStats, cosine_weighted, shared_terms, weighted
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify

Listing = Achievement | Challenge
MODELS = {ListingKind.ACHIEVEMENT: Achievement, ListingKind.CHALLENGE: Challenge}


@dataclass
class MatchOutcome:
    """What one run of ``listing_match`` did, by counterpart id."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    refused: str = ""


# --- Scoring pairs ---------------------------------------------------------------------------


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
    column = f"{model._meta.model_name}_id"
    fields: dict[int, set[FieldRef]] = {}
    through = model.fields.through.objects.filter(**{f"{column}__in": [x.pk for x in listings]})
    for listing_id, field_id in through.values_list(column, "technicalfield_id"):
        fields.setdefault(listing_id, set()).add(refs[field_id])
    out = {}
    for x in listings:
        common = {"fields": frozenset(fields.get(x.pk, ())), "region": x.region or ""}
        if isinstance(x, Achievement):
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
        if isinstance(self.listing, Achievement):
            return (self.listing.pk, counterpart_id)
        return (counterpart_id, self.listing.pk)

    def explained(self, ids: Sequence[int]) -> dict[int, Score]:
        """{counterpart id: Score with the shared terms among its reasons}, in ``ids`` order;
        the counterparts' word forms are read in one query."""
        if not ids:
            return {}
        model = retrieval.counterpart_model(self.listing)
        column = f"{model._meta.model_name}_id"
        surfaces = dict(
            ListingProfile.objects.filter(**{f"{column}__in": ids}).values_list(column, "surfaces")
        )
        out = {}
        for pk in ids:
            achievement, challenge, evidence = self._pairs[pk]
            vector = weighted(self._terms[pk], self._stats)
            terms = shared_terms(
                self._own_vector, vector, {**surfaces.get(pk, {}), **self._own_surfaces}
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
    use_semantic = semantic.enabled() and own_profile.embedding is not None
    semantic_ids = [
        c.pk for c in counterparts if use_semantic and profiles[c.pk].embedding is not None
    ]
    semantic_values = dict(
        zip(
            semantic_ids,
            semantic.cosines(
                bytes(own_profile.embedding or b""),
                [bytes(profiles[pk].embedding) for pk in semantic_ids],
            ),
            strict=True,
        )
    )
    pairs = {}
    for counterpart in counterparts:
        evidence = TextEvidence(
            lexical=cosine_weighted(own_vector, profiles[counterpart.pk].terms, stats),
            semantic=semantic_values.get(counterpart.pk),
        )
        if isinstance(listing, Achievement):
            pairs[counterpart.pk] = (own_facts, other_facts[counterpart.pk], evidence)
        else:
            pairs[counterpart.pk] = (other_facts[counterpart.pk], own_facts, evidence)
    terms = {c.pk: profiles[c.pk].terms for c in counterparts}
    adjustments = {}
    if learned:
        own_codes = [f.code for f in own_facts.fields]
        for c in counterparts:
            other_codes = [f.code for f in other_facts[c.pk].fields]
            if isinstance(listing, Achievement):
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
    column = f"{model._meta.model_name}_id"
    own_fields = model.fields.through.objects.filter(**{column: listing.pk}).values(
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
_PROFILE_COLUMNS = ("terms", "english", "embedding_model")


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
    model = retrieval.counterpart_model(listing)
    profile_columns = [*_PROFILE_COLUMNS, *(["embedding"] if semantic.enabled() else [])]
    # Counterparts and their profiles in one query.
    counterparts = list(
        retrieval.matchable(model)
        .exclude(organization_id=listing.organization_id)
        .filter(pk__in=wanted)
        .select_related("match_profile")
        .only(*_FACT_COLUMNS[model], *(f"match_profile__{name}" for name in profile_columns))
    )
    profiles = {c.pk: getattr(c, "match_profile", None) for c in counterparts}
    stale = [pk for pk, profile in profiles.items() if profile_store.needs_refresh(profile)]
    if stale:
        # Listings published before matching existed, or before the semantic model was on.
        profiles.update(profile_store.profiles_refresh(list(model.objects.filter(pk__in=stale))))
    refs = _field_refs()
    learned = feedback_learned(
        listing, {listing.organization_id, *(c.organization_id for c in counterparts)}, refs=refs
    )
    return pairs_score(
        listing, counterparts, profiles, own_profile, stats, refs=refs, learned=learned
    )


# --- Writing matches ---------------------------------------------------------------------------


def _pair(listing: Listing, counterpart_id: int) -> dict[str, int]:
    if isinstance(listing, Achievement):
        return {"achievement_id": listing.pk, "challenge_id": counterpart_id}
    return {"achievement_id": counterpart_id, "challenge_id": listing.pk}


def _values(score: Score, names: dict) -> dict:
    return {
        "score": Decimal(str(score.total)),
        "parts": score.parts,
        **reason_text.render_both(score.reasons, names),
    }


def matches_upsert(listing: Listing, scores: dict[int, Score]) -> dict[int, Match]:
    """Write one Match per (listing, counterpart id) pair with its score and reasons in one
    ``INSERT … ON CONFLICT (achievement, challenge) DO UPDATE``: a pair that exists (made
    by either side's run, or by a broker) gets the new score and reasons and keeps its
    origin and dismissals. Returns {counterpart id: Match}, primary keys set."""
    if not scores:
        return {}
    names = reason_text.field_names()
    rows = {pk: Match(**_pair(listing, pk), **_values(s, names)) for pk, s in scores.items()}
    # In pair order: two concurrent runs that share pairs lock them in the same order
    # rather than deadlocking.
    Match.objects.bulk_create(
        sorted(rows.values(), key=lambda m: (m.achievement_id, m.challenge_id)),
        update_conflicts=True,
        unique_fields=["achievement", "challenge"],
        update_fields=["score", "parts", "reasons_en", "reasons_zh", "updated_at"],
    )
    return rows


def _members(organization_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active members of each organisation, in one query: {organisation id: users}."""
    out: dict[int, list[User]] = {pk: [] for pk in organization_ids}
    memberships = Membership.objects.filter(
        organization_id__in=out, status=MembershipStatus.ACTIVE, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        out[membership.organization_id].append(membership.user)
    return {pk: sorted(users, key=lambda u: u.pk) for pk, users in out.items()}


def _announce(
    match: Match,
    members: dict[int, list[User]],
    *,
    key: str,
    sides: Sequence[str] = (ListingKind.ACHIEVEMENT, ListingKind.CHALLENGE),
    context: dict | None = None,
) -> None:
    """Tell the active members of the organisation of each side (``sides``) of a match,
    each pointed at their own listing's matches page. ``match.achievement`` and
    ``match.challenge`` must be loaded with their organisations."""
    for side in sides:
        own = getattr(match, side)
        counterpart = match.challenge if side == ListingKind.ACHIEVEMENT else match.achievement
        notify(
            users=members[own.organization_id],
            kind=NotificationKind.MATCH_FOUND,
            template="match_found",
            context={
                "match": match,
                "listing": own,
                "counterpart": counterpart,
                "score": match.score,
                "reasons_en": match.reasons_en,
                "reasons_zh": match.reasons_zh,
                **(context or {}),
            },
            link=reverse(f"matching:{own.kind}_matches", args=[own.pk]),
            key=key,
        )


def _notify_new(listing: Listing, matches: Sequence[Match]) -> None:
    """Tell the active members of both organisations of each new match, each pointed at
    their own listing. The counterparts and the members are read once for all matches."""
    if not matches:
        return
    other_model = retrieval.counterpart_model(listing)
    other_column = f"{other_model._meta.model_name}_id"
    others = other_model.objects.select_related("organization").in_bulk(
        [getattr(m, other_column) for m in matches]
    )
    members = _members({listing.organization_id, *(x.organization_id for x in others.values())})
    for match in matches:
        other = others[getattr(match, other_column)]
        if isinstance(listing, Achievement):
            match.achievement, match.challenge = listing, other
        else:
            match.achievement, match.challenge = other, listing
        _announce(match, members, key=f"match:{match.pk}")


def best_pairs(
    scores: Mapping[int, Score], *, threshold: float, limit: int, excluded: Container[int] = ()
) -> list[int]:
    """The counterparts a run keeps: score at least ``threshold``, not ``excluded`` (marked
    not relevant by the listing's organisation), best first (ties: lower id), at most
    ``limit``."""
    ranked = sorted(
        (pk for pk, s in scores.items() if s.total >= threshold and pk not in excluded),
        key=lambda pk: (-scores[pk].total, pk),
    )
    return ranked[:limit]


def listing_match(*, kind: str, listing_id: int) -> MatchOutcome:
    """Match a published listing against the other kind and store the result (see module
    docstring). A listing that is not matchable (unpublished, expired, archived, gone) is
    refused and nothing changes. The number of statements does not grow with the number
    of matches written (``notify`` aside: one call per side of each new match)."""
    model = MODELS[ListingKind(kind)]
    other = "challenge" if kind == ListingKind.ACHIEVEMENT else "achievement"
    outcome = MatchOutcome()
    with transaction.atomic():
        # The lock serialises two runs for the same listing (published twice quickly).
        listing = retrieval.matchable(model).select_for_update().filter(pk=listing_id).first()
        if listing is None:
            outcome.refused = "not matchable"
            return outcome
        # Every match of the listing, whoever proposed it: a pair that exists is updated,
        # not announced again.
        matches = {getattr(m, f"{other}_id"): m for m in Match.objects.filter(**{kind: listing})}
        engine = [pk for pk, m in matches.items() if m.proposed_by == ProposedBy.ENGINE]
        scored = listing_scores(listing, extra_ids=engine)
        scores, learned = scored.scores, scored.learned
        threshold = settings.MATCH_THRESHOLD
        # A pair the listing's organisation marked not relevant is hidden from it for good:
        # it takes none of the N places (it may stay below, for the other side).
        rejected = {
            pk
            for pk in scores
            if learned.verdict(listing.organization_id, scored.pair(pk)) is False
        }
        keep = best_pairs(
            scores,
            threshold=threshold,
            limit=settings.MATCH_MAX_PER_LISTING,
            excluded=rejected,
        )
        kept = set(keep)
        # Engine matches of this listing that this run did not keep: those still above the
        # threshold stay (the other side's run put them there) with their new score; those
        # below it go, unless dismissed or given feedback by either side (both are
        # remembered, so such a pair never comes back as new); pairs whose counterpart is no
        # longer matchable stay, hidden by the pages, in case it is renewed.
        stay, gone = [], []
        for counterpart_id in engine:
            if counterpart_id in kept or counterpart_id not in scores:
                continue
            match = matches[counterpart_id]
            if (
                scores[counterpart_id].total >= threshold
                or match.dismissed_by_achievement_owner
                or match.dismissed_by_challenge_owner
                or learned.is_marked(scored.pair(counterpart_id))
            ):
                stay.append(counterpart_id)
            else:
                gone.append(counterpart_id)
        written = matches_upsert(listing, scored.explained([*keep, *stay]))
        # New = not there when this run read the listing's matches, under its lock. Only
        # the counterpart's own run can add the pair meanwhile; then both runs announce it
        # and ``notify``'s key (``match:<pk>``, the same row) tells each person once.
        outcome.created = [pk for pk in keep if pk not in matches]
        outcome.updated = [pk for pk in keep if pk in matches] + stay
        if gone:
            Match.objects.filter(pk__in=[matches[pk].pk for pk in gone]).delete()
            outcome.deleted = gone
        _notify_new(listing, [written[pk] for pk in outcome.created])
    return outcome


# --- Dismissing ----------------------------------------------------------------------------------


def _side(match: Match, user: User, refusal: str | None = None) -> str:
    """Which side of the match the user acts for: ``achievement`` or ``challenge``."""
    membership = active_membership(user)
    if membership is not None:
        if membership.organization_id == match.achievement.organization_id:
            return ListingKind.ACHIEVEMENT
        if membership.organization_id == match.challenge.organization_id:
            return ListingKind.CHALLENGE
    raise PermissionDenied(refusal or _("Only the organisations of a match can dismiss it."))


def match_dismiss(*, match: Match, user: User, dismissed: bool = True) -> Match:
    """Hide (or, with ``dismissed=False``, bring back) a match for the user's side only."""
    side = _side(match, user)
    column = f"dismissed_by_{side}_owner"
    Match.objects.filter(pk=match.pk).update(**{column: dismissed})
    setattr(match, column, dismissed)
    return match


# --- Feedback ------------------------------------------------------------------------------------


def match_feedback_set(*, match: Match, user: User, relevant: bool) -> MatchFeedback:
    """Record, or change, the verdict of the user's organisation on a match (one per match
    and organisation). Not relevant hides the match from that side for good, as a
    dismissal does, and the engine never deletes or announces it again; relevant brings
    back a match that side had dismissed. Either way the marks shift the scores of similar
    pairs from then on (``feedback.py``). Setting the same verdict again changes nothing."""
    side = _side(match, user, _("Only the organisations of a match can mark it relevant or not."))
    column = f"dismissed_by_{side}_owner"
    with transaction.atomic():
        feedback, _created = MatchFeedback.objects.update_or_create(
            match=match,
            organization_id=getattr(match, side).organization_id,
            defaults={"relevant": relevant, "user": user},
        )
        if relevant and getattr(match, column):
            Match.objects.filter(pk=match.pk).update(**{column: False})
            setattr(match, column, False)
    return feedback


# --- Brokers' recommendations ------------------------------------------------------------------

BROKER_NOTE_MAX = 2000


def match_recommend(
    *, broker: User, achievement: Achievement, challenge: Challenge, note: str
) -> Match:
    """A transfer-centre broker puts an achievement and a challenge together, with a note.

    Refused unless the user brokers for a region (``broker_region``; else PermissionDenied),
    at least one of the two listings is in it (else PermissionDenied), both are matchable
    (published, not past expiry or deadline), they belong to two organisations, the note is
    there, and no broker recommended the pair already (else ValidationError); nothing
    changes then. The score is the engine's for that pair (feedback included).

    One row per pair: a new pair becomes a broker match; an engine match of the pair becomes
    one, keeping its dismissals and feedback. Both organisations are told as of an engine
    match (``match_found``, with the note), except a side that dismissed the pair or marked
    it not relevant: a broker does not overrule that. The engine never deletes a broker
    match; its runs update the score of one they keep.
    """
    region = broker_region(broker)
    if region is None:
        raise PermissionDenied(_("Only brokers of a verified transfer centre recommend matches."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say in a few words why these two should talk.")})
    if len(note) > BROKER_NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(n)d characters.") % {"n": BROKER_NOTE_MAX}}
        )
    with transaction.atomic():
        # Achievement, then challenge: a matching run of either listing locks it first, so
        # none runs meanwhile and the pair cannot be written under us.
        listings = []
        for model, listing in ((Achievement, achievement), (Challenge, challenge)):
            listings.append(
                retrieval.matchable(model)
                .select_for_update(of=("self",))
                .select_related("organization")
                .filter(pk=listing.pk)
                .first()
            )
        a, c = listings
        if a is None or c is None:
            raise ValidationError(
                _("Only published listings that have not expired can be recommended.")
            )
        if region not in (a.region, c.region):
            raise PermissionDenied(_("At least one of the two listings must be in your region."))
        if a.organization_id == c.organization_id:
            raise ValidationError(
                _("An achievement and a challenge of the same organisation are never matched.")
            )
        match = Match.objects.select_for_update().filter(achievement=a, challenge=c).first()
        if match is not None and match.proposed_by == ProposedBy.BROKER:
            raise ValidationError(_("A broker has already recommended this pair."))
        scored = listing_scores(c, extra_ids=[a.pk], retrieve=False)
        values = {
            **_values(scored.explained([a.pk])[a.pk], reason_text.field_names()),
            "proposed_by": ProposedBy.BROKER,
            "broker": broker,
            "broker_note": note,
        }
        new = match is None
        if new:
            match = Match.objects.create(achievement=a, challenge=c, **values)
        else:
            for name, value in values.items():
                setattr(match, name, value)
            match.save(update_fields=[*values, "updated_at"])
        match.achievement, match.challenge = a, c
        sides = [
            side
            for side in (ListingKind.ACHIEVEMENT, ListingKind.CHALLENGE)
            if not match.dismissed_by(side)
            and scored.learned.verdict(getattr(match, side).organization_id, (a.pk, c.pk))
            is not False
        ]
        _announce(
            match,
            _members({a.organization_id, c.organization_id}),
            # An engine match announced before is announced again, as a recommendation.
            key=f"match:{match.pk}" if new else f"match:{match.pk}:broker",
            sides=sides,
            context={"broker": broker, "centre": active_membership(broker).organization},
        )
    return match

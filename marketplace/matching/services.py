"""Writes of matching: matching a listing, dismissing and restoring a match.

``listing_match`` is what the outbox handler runs after a publication commits::

    load the listing (locked) → refuse unless matchable → its profile (terms, embedding)
    → candidates from the index → score each pair → keep those ≥ MATCH_THRESHOLD, best
    MATCH_MAX_PER_LISTING → upsert one Match per pair → notify both organisations of
    each NEW match → re-score this listing's other engine matches, delete those that fell
    below the threshold (unless dismissed)

It is idempotent: run twice, it finds every pair already there, updates scores and tells
nobody again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.choices import MembershipStatus
from accounts.models import Membership, User
from marketplace.listings.choices import ListingKind
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.matching import profiles as profile_store
from marketplace.matching import reasons as reason_text
from marketplace.matching import retrieval, semantic
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import ListingProfile, Match
from marketplace.matching.scoring import Facts, FieldRef, Score, TextEvidence, score_pair
from marketplace.matching.terms import CorpusStats, cosine, shared_terms, weighted
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


def facts_of(listings: Sequence[Listing]) -> dict[int, Facts]:
    """Scoring's view of listings of one kind, with their fields in one query."""
    if not listings:
        return {}
    model = type(listings[0])
    column = f"{model._meta.model_name}_id"
    refs = _field_refs()
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


def pairs_score(
    listing: Listing,
    counterparts: Sequence[Listing],
    profiles: dict[int, ListingProfile],
    own_profile: ListingProfile,
    stats: CorpusStats,
) -> dict[int, Score]:
    """Score the listing against each counterpart: {counterpart id: Score}."""
    own_facts = facts_of([listing])[listing.pk]
    other_facts = facts_of(counterparts)
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
    scores = {}
    for counterpart in counterparts:
        profile = profiles[counterpart.pk]
        vector = weighted(profile.terms, stats)
        evidence = TextEvidence(
            lexical=cosine(own_vector, vector),
            semantic=semantic_values.get(counterpart.pk),
            terms=tuple(
                shared_terms(own_vector, vector, {**profile.surfaces, **own_profile.surfaces})
            ),
        )
        if isinstance(listing, Achievement):
            scores[counterpart.pk] = score_pair(own_facts, other_facts[counterpart.pk], evidence)
        else:
            scores[counterpart.pk] = score_pair(other_facts[counterpart.pk], own_facts, evidence)
    return scores


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


def listing_scores(listing: Listing, extra_ids: Iterable[int] = ()) -> dict[int, Score]:
    """Candidates from the index (plus ``extra_ids``) and their scores, nothing written but
    profiles. The read half of ``listing_match``; the benchmark times it too."""
    own_profile = profile_store.profiles_refresh([listing])[listing.pk]
    stats = profile_store.corpus_stats()
    ids = retrieval.candidate_ids(
        listing, terms=own_profile.terms, surfaces=own_profile.surfaces, stats=stats
    )
    wanted = list(dict.fromkeys([*ids, *extra_ids]))
    model = retrieval.counterpart_model(listing)
    counterparts = list(
        retrieval.matchable(model)
        .exclude(organization_id=listing.organization_id)
        .filter(pk__in=wanted)
        .only(*_FACT_COLUMNS[model])
    )
    profiles = profile_store.profiles_stored(model, [c.pk for c in counterparts])
    stale = [c.pk for c in counterparts if profile_store.needs_refresh(profiles.get(c.pk))]
    if stale:
        # Listings published before matching existed, or before the semantic model was on.
        profiles.update(profile_store.profiles_refresh(list(model.objects.filter(pk__in=stale))))
    return pairs_score(listing, counterparts, profiles, own_profile, stats)


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


def _members(organization_id: int) -> list[User]:
    memberships = Membership.objects.filter(
        organization_id=organization_id, status=MembershipStatus.ACTIVE, user__is_active=True
    ).select_related("user")
    return sorted((m.user for m in memberships), key=lambda u: u.pk)


def _notify_new(match: Match, members: dict[int, list[User]]) -> None:
    """Tell the active members of both organisations, each pointed at their own listing."""
    for own, other in ((match.achievement, match.challenge), (match.challenge, match.achievement)):
        if own.organization_id not in members:
            members[own.organization_id] = _members(own.organization_id)
        notify(
            users=members[own.organization_id],
            kind=NotificationKind.MATCH_FOUND,
            template="match_found",
            context={
                "match": match,
                "listing": own,
                "counterpart": other,
                "score": match.score,
                "reasons_en": match.reasons_en,
                "reasons_zh": match.reasons_zh,
            },
            link=reverse(f"matching:{own.kind}_matches", args=[own.pk]),
            key=f"match:{match.pk}",
        )


def listing_match(*, kind: str, listing_id: int) -> MatchOutcome:
    """Match a published listing against the other kind and store the result (see module
    docstring). A listing that is not matchable (unpublished, expired, archived, gone) is
    refused and nothing changes."""
    model = MODELS[ListingKind(kind)]
    outcome = MatchOutcome()
    with transaction.atomic():
        # The lock serialises two runs for the same listing (published twice quickly).
        listing = model.objects.select_for_update().filter(pk=listing_id).first()
        if listing is None or not retrieval.is_matchable(listing):
            outcome.refused = "not matchable"
            return outcome
        existing = {
            (m.challenge_id if kind == ListingKind.ACHIEVEMENT else m.achievement_id): m
            for m in Match.objects.filter(**{kind: listing}, proposed_by=ProposedBy.ENGINE)
        }
        scores = listing_scores(listing, extra_ids=existing)
        threshold = settings.MATCH_THRESHOLD
        ranked = sorted(
            (pk for pk, s in scores.items() if s.total >= threshold),
            key=lambda pk: (-scores[pk].total, pk),
        )
        keep = ranked[: settings.MATCH_MAX_PER_LISTING]
        names = reason_text.field_names()
        members: dict[int, list[User]] = {}
        for counterpart_id in keep:
            values = _values(scores[counterpart_id], names)
            with transaction.atomic():
                match, created = Match.objects.select_related(
                    "achievement", "challenge"
                ).get_or_create(**_pair(listing, counterpart_id), defaults=values)
            if created:
                outcome.created.append(counterpart_id)
                _notify_new(match, members)
            else:
                _update(match, values)
                outcome.updated.append(counterpart_id)
        # Engine matches of this listing that this run did not keep: those still above the
        # threshold stay (the other side's run put them there) with their new score; those
        # below it go, unless dismissed (a dismissal is remembered); pairs whose counterpart
        # is no longer matchable stay, hidden by the pages, in case it is renewed.
        for counterpart_id, match in existing.items():
            if counterpart_id in keep or counterpart_id not in scores:
                continue
            score = scores[counterpart_id]
            if (
                score.total >= threshold
                or match.dismissed_by_achievement_owner
                or (match.dismissed_by_challenge_owner)
            ):
                _update(match, _values(score, names))
                outcome.updated.append(counterpart_id)
            else:
                match.delete()
                outcome.deleted.append(counterpart_id)
    return outcome


def _update(match: Match, values: dict) -> None:
    for name, value in values.items():
        setattr(match, name, value)
    match.save(update_fields=[*values, "updated_at"])


# --- Dismissing ----------------------------------------------------------------------------------


def _side(match: Match, user: User) -> str:
    """Which side of the match the user acts for: ``achievement`` or ``challenge``."""
    membership = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).first()
    if membership is not None:
        if membership.organization_id == match.achievement.organization_id:
            return ListingKind.ACHIEVEMENT
        if membership.organization_id == match.challenge.organization_id:
            return ListingKind.CHALLENGE
    raise PermissionDenied(_("Only the organisations of a match can dismiss it."))


def match_dismiss(*, match: Match, user: User, dismissed: bool = True) -> Match:
    """Hide (or, with ``dismissed=False``, bring back) a match for the user's side only."""
    side = _side(match, user)
    column = f"dismissed_by_{side}_owner"
    Match.objects.filter(pk=match.pk).update(**{column: dismissed})
    setattr(match, column, dismissed)
    return match

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
    each NEW match scoring at least MATCH_NOTIFY_THRESHOLD (or an old one that rose to it)

Only the pairs written get their reasons worded, and a run's number of statements does not
grow with the number of matches (``notify`` aside).

It is idempotent: run twice, it finds every pair already there, updates scores and tells
nobody again.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.choices import MembershipStatus
from accounts.models import Membership, User
from accounts.selectors import active_membership, broker_region
from marketplace.listings.choices import ListingKind
from marketplace.listings.kinds import (
    Listing,
    column,
    counterpart_kind,
    counterpart_model,
    model_for,
    pair_of,
)
from marketplace.listings.models import Achievement, Challenge
from marketplace.matching import reasons as reason_text
from marketplace.matching import retrieval
from marketplace.matching.choices import ProposedBy
from marketplace.matching.engine import listing_scores
from marketplace.matching.models import Match, MatchFeedback
from marketplace.matching.scoring import Score
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refusals import Refused
from marketplace.webhooks.choices import WebhookEvent
from marketplace.webhooks.payloads import match_data
from marketplace.webhooks.selectors import endpoints_subscribed
from marketplace.webhooks.services import webhooks_announce


@dataclass
class MatchOutcome:
    """What one run of ``listing_match`` did, by counterpart id."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    refused: str = ""


# --- Writing matches ---------------------------------------------------------------------------


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
    rows = {pk: Match(**pair_of(listing, pk), **_values(s, names)) for pk, s in scores.items()}
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
    hooks: Mapping[int, list] | None = None,
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
        # The organisation's own systems hear of it too, with what its pages show.
        webhooks_announce(
            organization_id=own.organization_id,
            event_type=WebhookEvent.MATCH_CREATED,
            key=f"{key}:{side}",
            data=match_data(match, own=own, counterpart=counterpart),
            endpoints=hooks,
        )


def _notify_new(listing: Listing, matches: Sequence[Match]) -> None:
    """Tell the active members of both organisations of each new match, each pointed at
    their own listing. The counterparts and the members are read once for all matches."""
    if not matches:
        return
    other_model = counterpart_model(listing)
    other_column = column(other_model)
    others = other_model.objects.select_related("organization").in_bulk(
        [getattr(m, other_column) for m in matches]
    )
    members = _members({listing.organization_id, *(x.organization_id for x in others.values())})
    # Read once for the run: the statements do not grow with the matches.
    hooks = endpoints_subscribed(organization_ids=members, event_type=WebhookEvent.MATCH_CREATED)
    for match in matches:
        other = others[getattr(match, other_column)]
        setattr(match, listing.kind, listing)
        setattr(match, other_model.kind, other)
        _announce(match, members, key=f"match:{match.pk}", hooks=hooks)


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
    model = model_for(kind)
    other = counterpart_kind(kind)
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
        # Announced once a pair is strong enough to be worth reading: when it is new, or when
        # a weaker pair (kept, shown on the matches page) rises past the threshold. Weaker
        # ones wait on the matches page; ``notify``'s key tells nobody twice anyway.
        strong = settings.MATCH_NOTIFY_THRESHOLD
        _notify_new(
            listing,
            [
                written[pk]
                for pk in keep
                if written[pk].score >= strong and (pk not in matches or matches[pk].score < strong)
            ],
        )
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
    raise Refused.forbidden(refusal or _("Only the organisations of a match can dismiss it."))


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

    Refused unless the user brokers for a region (``broker_region``; 403), at least one of
    the two listings is in it (403), both are matchable
    (published, not past expiry or deadline), they belong to two organisations, the note is
    there, and no broker recommended the pair already (400 or 409); nothing
    changes then. The score is the engine's for that pair (feedback included).

    One row per pair: a new pair becomes a broker match; an engine match of the pair becomes
    one, keeping its dismissals and feedback. Both organisations are told as of an engine
    match (``match_found``, with the note), except a side that dismissed the pair or marked
    it not relevant: a broker does not overrule that. The engine never deletes a broker
    match; its runs update the score of one they keep.
    """
    region = broker_region(broker)
    if region is None:
        raise Refused.forbidden(_("Only brokers of a verified transfer centre recommend matches."))
    note = (note or "").strip()
    if not note:
        raise Refused.bad_input(note=_("Say in a few words why these two should talk."))
    if len(note) > BROKER_NOTE_MAX:
        raise Refused.bad_input(
            note=_("Keep the note under %(n)d characters.") % {"n": BROKER_NOTE_MAX}
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
            raise Refused(_("Only published listings that have not expired can be recommended."))
        if region not in (a.region, c.region):
            raise Refused.forbidden(_("At least one of the two listings must be in your region."))
        if a.organization_id == c.organization_id:
            raise Refused(
                _("An achievement and a challenge of the same organisation are never matched.")
            )
        match = Match.objects.select_for_update().filter(achievement=a, challenge=c).first()
        if match is not None and match.proposed_by == ProposedBy.BROKER:
            raise Refused(_("A broker has already recommended this pair."))
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

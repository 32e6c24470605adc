"""What feedback on matches teaches the engine: pure functions, no database.

An organisation marks a match of its own relevant or not relevant (``MatchFeedback``). The
rule (docs/matching.md, "Feedback"):

- Two pairs are *similar* when they share a *field pair*: one technical field of the
  achievement together with one technical field of the challenge (fields as the listings
  name them: a sub-field, or a field when only the field is named).
- For a pair (achievement, challenge), each organisation of the pair has a *net*: the
  relevant marks it gave on similar matches minus the not-relevant ones. The pair's own
  mark is not counted (it decides whether the pair is shown, not its score).
- The pair gets ``feedback = clamp(STEP × (net of the achievement's organisation + net of
  the challenge's organisation), −CAP, +CAP)`` points, a visible part of its score with a
  reason per organisation whose net is not zero.

Both organisations' marks count, so a pair scores the same whichever side is matched (as
the rest of the score). Relevant and not-relevant marks weigh the same, in opposite
directions. Without feedback nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marketplace.matching.scoring import Score

STEP = 2.0  # points per net mark on similar matches
CAP = 8.0  # at most this many points either way

FieldPair = tuple[str, str]  # (achievement's field code, challenge's field code)
Pair = tuple[int, int]  # (achievement id, challenge id)


@dataclass(frozen=True)
class Mark:
    """One organisation's verdict on one match, with the match's field pairs."""

    organization_id: int
    pair: Pair
    relevant: bool
    field_pairs: frozenset[FieldPair]


@dataclass(frozen=True)
class Adjustment:
    """What feedback does to one pair's score: ``points``, and each side's net marks."""

    points: float = 0.0
    achievement_net: int = 0
    challenge_net: int = 0

    def reasons(self) -> list[dict]:
        """One reason per direction: by one side, or by both when they agree."""
        sides = {"achievement": self.achievement_net, "challenge": self.challenge_net}
        items = []
        for relevant in (True, False):
            who = [side for side, net in sides.items() if net and (net > 0) == relevant]
            if who:
                side = who[0] if len(who) == 1 else "both"
                items.append({"kind": "feedback", "relevant": relevant, "side": side})
        return items


NONE = Adjustment()


def field_pairs(achievement_fields: Iterable[str], challenge_fields: Iterable[str]) -> frozenset:
    """Every (achievement field, challenge field) combination of a pair."""
    challenge_fields = list(challenge_fields)
    return frozenset((a, c) for a in achievement_fields for c in challenge_fields)


def _clamp(x: float) -> float:
    return max(-CAP, min(CAP, x))


class Learned:
    """The marks of some organisations, indexed to answer for any pair they are party to:
    its adjustment, and each organisation's verdict on the pair itself."""

    def __init__(self, marks: Iterable[Mark] = ()) -> None:
        # organisation → field pair → {pair: +1 or −1}: one mark per (organisation, pair).
        self._by_field_pair: dict[int, dict[FieldPair, dict[Pair, int]]] = {}
        self._verdicts: dict[Pair, dict[int, bool]] = {}
        for mark in marks:
            self._verdicts.setdefault(mark.pair, {})[mark.organization_id] = mark.relevant
            index = self._by_field_pair.setdefault(mark.organization_id, {})
            for field_pair in mark.field_pairs:
                index.setdefault(field_pair, {})[mark.pair] = 1 if mark.relevant else -1

    def __bool__(self) -> bool:
        return bool(self._verdicts)

    def net(self, organization_id: int, pair: Pair, pairs: frozenset[FieldPair]) -> int:
        """Relevant minus not-relevant marks of the organisation on matches similar to the
        pair (sharing a field pair with it), each marked match counted once."""
        index = self._by_field_pair.get(organization_id)
        if not index:
            return 0
        votes: dict[Pair, int] = {}
        for field_pair in pairs:
            votes.update(index.get(field_pair, {}))
        votes.pop(pair, None)
        return sum(votes.values())

    def adjustment(
        self,
        *,
        pair: Pair,
        achievement_organization: int,
        challenge_organization: int,
        pairs: frozenset[FieldPair],
    ) -> Adjustment:
        if not self._by_field_pair or not pairs:
            return NONE
        a = self.net(achievement_organization, pair, pairs)
        c = (
            0
            if challenge_organization == achievement_organization
            else self.net(challenge_organization, pair, pairs)
        )
        if not a and not c:
            return NONE
        return Adjustment(_clamp(STEP * (a + c)), a, c)

    def verdict(self, organization_id: int, pair: Pair) -> bool | None:
        """The organisation's own mark on the pair: True, False, or None (none)."""
        return self._verdicts.get(pair, {}).get(organization_id)

    def is_marked(self, pair: Pair) -> bool:
        """Whether either organisation marked the pair itself."""
        return pair in self._verdicts


def apply(score: Score, adjustment: Adjustment) -> Score:
    """The score with the feedback part added (kept within 0-100; the part holds the points
    actually applied, so the parts still add up to the total)."""
    if not adjustment.points:
        return score
    total = round(max(0.0, min(100.0, score.total + adjustment.points)), 1)
    applied = round(total - score.total, 1)
    if not applied:
        return score
    return Score(
        total, {**score.parts, "feedback": applied}, [*score.reasons, *adjustment.reasons()]
    )

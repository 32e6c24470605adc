"""What feedback does to scores (pure functions, hypothesis): bounded, symmetric, similar
pairs only, the pair's own mark left out, and a not-relevant pair never kept."""

from __future__ import annotations

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from marketplace.matching import feedback, reasons
from marketplace.matching.feedback import CAP, STEP, Adjustment, Learned, Mark, field_pairs
from marketplace.matching.scoring import Score
from marketplace.matching.services import best_pairs

FIELDS = ["ic-lithography", "ic-design", "ic", "energy-pv", "ai-llm"]
ORGS = [1, 2, 3, 4]

field_pairs_st = st.frozensets(st.tuples(st.sampled_from(FIELDS), st.sampled_from(FIELDS)))
mark_st = st.builds(
    Mark,
    organization_id=st.sampled_from(ORGS),
    pair=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    relevant=st.booleans(),
    field_pairs=field_pairs_st,
)
marks_st = st.lists(mark_st, max_size=30)


def _one_per_org_and_pair(marks: list[Mark]) -> list[Mark]:
    """As the database holds them: one mark per (organisation, match)."""
    return list({(m.organization_id, m.pair): m for m in marks}.values())


def _adjust(learned: Learned, pair=(100, 200), orgs=(1, 2), pairs=None) -> Adjustment:
    return learned.adjustment(
        pair=pair,
        achievement_organization=orgs[0],
        challenge_organization=orgs[1],
        pairs=pairs if pairs is not None else field_pairs(["ic-lithography"], ["ic-lithography"]),
    )


LITHO = frozenset({("ic-lithography", "ic-lithography")})


@given(marks=marks_st, pairs=field_pairs_st, orgs=st.tuples(*[st.sampled_from(ORGS)] * 2))
def test_the_adjustment_is_bounded_and_a_multiple_of_the_step(marks, pairs, orgs):
    points = _adjust(Learned(_one_per_org_and_pair(marks)), orgs=orgs, pairs=pairs).points
    assert -CAP <= points <= CAP
    assert points % STEP == 0


@given(marks=marks_st, pairs=field_pairs_st, orgs=st.tuples(*[st.sampled_from(ORGS)] * 2))
def test_relevant_and_not_relevant_marks_weigh_the_same_in_opposite_directions(marks, pairs, orgs):
    marks = _one_per_org_and_pair(marks)
    flipped = [Mark(m.organization_id, m.pair, not m.relevant, m.field_pairs) for m in marks]
    assert (
        _adjust(Learned(flipped), orgs=orgs, pairs=pairs).points
        == -_adjust(Learned(marks), orgs=orgs, pairs=pairs).points
    )


@given(marks=marks_st, pairs=field_pairs_st, orgs=st.tuples(*[st.sampled_from(ORGS)] * 2))
def test_the_adjustment_does_not_depend_on_the_order_of_marks(marks, pairs, orgs):
    marks = _one_per_org_and_pair(marks)
    forward = _adjust(Learned(marks), orgs=orgs, pairs=pairs)
    assert _adjust(Learned(reversed(marks)), orgs=orgs, pairs=pairs) == forward


@given(marks=marks_st)
def test_marks_of_other_organisations_change_nothing(marks):
    strangers = [
        Mark(org + 10, m.pair, m.relevant, m.field_pairs)
        for m in _one_per_org_and_pair(marks)
        for org in [m.organization_id]
    ]
    assert _adjust(Learned(strangers)) == feedback.NONE


def test_each_similar_mark_adds_or_takes_one_step_up_to_the_cap():
    def marks(n: int, relevant: bool, org: int = 1) -> list[Mark]:
        return [Mark(org, (i, 50 + i), relevant, LITHO) for i in range(n)]

    assert _adjust(Learned(marks(1, True))).points == STEP
    assert _adjust(Learned(marks(1, False))).points == -STEP
    assert _adjust(Learned(marks(3, True) + marks(1, False, org=2))).points == 2 * STEP
    assert _adjust(Learned(marks(9, True))).points == CAP
    assert _adjust(Learned(marks(9, False))).points == -CAP
    # Each side's net is kept for the reasons.
    both = _adjust(Learned(marks(2, True) + marks(1, False, org=2)))
    assert (both.achievement_net, both.challenge_net) == (2, -1)


def test_only_similar_matches_count_each_once_and_never_the_pair_itself():
    wide = frozenset({("ic-lithography", "ic-lithography"), ("ic", "ic-lithography")})
    learned = Learned(
        [
            Mark(1, (1, 1), True, wide),  # shares two field pairs: counted once
            Mark(1, (2, 2), True, frozenset({("energy-pv", "energy-pv")})),  # not similar
            Mark(1, (100, 200), False, LITHO),  # the pair itself
        ]
    )
    assert _adjust(learned, pairs=wide).points == STEP
    assert learned.verdict(1, (100, 200)) is False
    assert learned.verdict(2, (100, 200)) is None
    assert learned.is_marked((100, 200)) and not learned.is_marked((3, 3))


def test_a_pair_without_fields_or_without_feedback_is_not_adjusted():
    learned = Learned([Mark(1, (1, 1), True, LITHO)])
    assert _adjust(learned, pairs=frozenset()) == feedback.NONE
    assert _adjust(Learned()) == feedback.NONE
    assert not Learned()


@given(
    total=st.floats(min_value=0, max_value=100),
    points=st.sampled_from([-8.0, -4.0, -2.0, 0.0, 2.0, 6.0, 8.0]),
)
def test_applied_feedback_keeps_the_score_within_0_100_and_equal_to_its_parts(total, points):
    total = round(total, 1)
    score = Score(total, {"text": total, "penalty": 0.0}, [])
    adjusted = feedback.apply(score, Adjustment(points, 1 if points > 0 else -1, 0))
    assert 0 <= adjusted.total <= 100
    assert round(sum(adjusted.parts.values()), 1) == adjusted.total
    assert ("feedback" in adjusted.parts) == (adjusted.total != score.total)


def test_the_reasons_say_who_marked_similar_matches_in_both_languages():
    items = Adjustment(4.0, 2, 0).reasons()
    assert items == [{"kind": "feedback", "relevant": True, "side": "achievement"}]
    assert Adjustment(-4.0, -1, -1).reasons() == [
        {"kind": "feedback", "relevant": False, "side": "both"}
    ]
    mixed = Adjustment(2.0, 2, -1).reasons()
    assert [(i["relevant"], i["side"]) for i in mixed] == [
        (True, "achievement"),
        (False, "challenge"),
    ]
    with translation.override("en"):
        assert reasons.render(items, "en", {}) == (
            "The achievement's owner marked similar matches relevant."
        )
    assert reasons.render(items, "zh-hans", {})  # worded (translated when the catalogue has it)


scores_st = st.dictionaries(
    st.integers(1, 40), st.floats(min_value=0, max_value=100).map(lambda x: round(x, 1))
)


@given(scores=scores_st, excluded=st.sets(st.integers(1, 40)), limit=st.integers(0, 12))
def test_a_pair_marked_not_relevant_is_never_kept(scores, excluded, limit):
    kept = best_pairs(
        {pk: Score(total, {}, []) for pk, total in scores.items()},
        threshold=30,
        limit=limit,
        excluded=excluded,
    )
    assert not set(kept) & excluded
    assert len(kept) <= limit
    assert all(scores[pk] >= 30 for pk in kept)
    assert [scores[pk] for pk in kept] == sorted((scores[pk] for pk in kept), reverse=True)

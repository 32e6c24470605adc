"""The score of a pair: its parts, its reasons and its invariants (hypothesis)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from marketplace.matching import terms
from marketplace.matching.scoring import Facts, FieldRef, TextEvidence, score_pair
from marketplace.text import analysis

LITHO = FieldRef("ic-lithography", "ic")
DESIGN = FieldRef("ic-design", "ic")
IC = FieldRef("ic")
PV = FieldRef("energy-pv", "energy")

FIELDS = [LITHO, DESIGN, IC, PV, FieldRef("energy"), FieldRef("ai"), FieldRef("ai-llm", "ai")]
MODES = ["transfer", "licence", "equity", "joint_development", "technical_service"]

fields_st = st.frozensets(st.sampled_from(FIELDS), max_size=3)
modes_st = st.frozensets(st.sampled_from(MODES), max_size=3)
money_st = st.one_of(st.none(), st.floats(min_value=0, max_value=1e9))
trl_st = st.one_of(st.none(), st.integers(min_value=1, max_value=9))
region_st = st.sampled_from(["", "guangdong", "zhejiang"])
achievement_st = st.builds(
    Facts, fields=fields_st, modes=modes_st, trl=trl_st, price=money_st, region=region_st
)
challenge_st = st.builds(
    Facts,
    fields=fields_st,
    modes=modes_st,
    trl=trl_st,
    budget_min=money_st,
    budget_max=money_st,
    region=region_st,
)
evidence_st = st.builds(
    TextEvidence,
    lexical=st.floats(min_value=0, max_value=1),
    semantic=st.one_of(st.none(), st.floats(min_value=-1, max_value=1)),
)


def _achievement(**kw) -> Facts:
    base = {
        "fields": frozenset({LITHO}),
        "modes": frozenset({"licence"}),
        "trl": 7,
        "price": 2_000_000.0,
        "region": "guangdong",
    }
    return Facts(**{**base, **kw})


def _challenge(**kw) -> Facts:
    base = {
        "fields": frozenset({LITHO}),
        "modes": frozenset({"licence"}),
        "trl": 6,
        "budget_min": 1_000_000.0,
        "budget_max": 3_000_000.0,
        "region": "guangdong",
    }
    return Facts(**{**base, **kw})


TEXT = TextEvidence(lexical=0.3, terms=("photoresist", "EUV"))


# --- invariants --------------------------------------------------------------------------------


@given(achievement_st, challenge_st, evidence_st)
def test_score_stays_within_0_and_100_and_parts_add_up(achievement, challenge, evidence):
    score = score_pair(achievement, challenge, evidence)
    assert 0 <= score.total <= 100
    assert abs(sum(score.parts.values()) - score.total) < 0.5


@given(
    achievement_st,
    challenge_st,
    evidence_st,
    st.integers(min_value=2, max_value=9),
    st.data(),
)
def test_trl_below_the_minimum_never_outranks_an_otherwise_equal_one_that_meets_it(
    achievement, challenge, evidence, minimum, data
):
    challenge = replace(challenge, trl=minimum)
    meets = replace(achievement, trl=data.draw(st.integers(min_value=minimum, max_value=9)))
    below = replace(achievement, trl=data.draw(st.integers(min_value=1, max_value=minimum - 1)))
    assert (
        score_pair(below, challenge, evidence).total <= score_pair(meets, challenge, evidence).total
    )
    assert score_pair(below, challenge, evidence).total < score_pair(
        meets, challenge, evidence
    ).total or (score_pair(meets, challenge, evidence).total == 0)


@given(achievement_st, challenge_st, evidence_st, st.sampled_from(FIELDS), st.booleans())
def test_adding_a_shared_field_never_lowers_a_score(
    achievement, challenge, evidence, shared, to_both
):
    before = score_pair(achievement, challenge, evidence).total
    if to_both:
        after_a = replace(achievement, fields=achievement.fields | {shared})
        after_c = replace(challenge, fields=challenge.fields | {shared})
    else:
        # The challenge already names it; now the achievement does too.
        after_c = replace(challenge, fields=challenge.fields | {shared})
        before = score_pair(achievement, after_c, evidence).total
        after_a = replace(achievement, fields=achievement.fields | {shared})
    assert score_pair(after_a, after_c, evidence).total >= before


# --- parts ---------------------------------------------------------------------------------------


def test_a_perfect_fit_scores_high_and_says_why():
    score = score_pair(_achievement(), _challenge(), TEXT)
    assert score.total > 80
    assert score.parts["penalty"] == 0
    kinds = [r["kind"] for r in score.reasons]
    assert kinds == [
        "field_same",
        "terms",
        "trl_meets",
        "modes_common",
        "price_within",
        "region_same",
    ]


def test_same_sub_field_beats_same_parent_beats_siblings_beats_none():
    def total(fields):
        return score_pair(_achievement(fields=fields), _challenge(), TEXT).total

    assert total({LITHO}) > total({IC}) > total({DESIGN}) > total({PV})


def test_trl_one_below_costs_more_than_its_part_and_two_below_more_still():
    fit = score_pair(_achievement(trl=6), _challenge(), TEXT)
    one = score_pair(_achievement(trl=5), _challenge(), TEXT)
    two = score_pair(_achievement(trl=4), _challenge(), TEXT)
    assert fit.total - one.total > fit.parts["maturity"]
    assert two.total < one.total
    assert one.parts["penalty"] < 0
    assert {"kind": "trl_below", "trl": 5, "min": 6} in one.reasons


def test_no_common_mode_and_a_price_far_above_the_budget_are_penalised():
    fit = score_pair(_achievement(), _challenge(), TEXT).total
    assert score_pair(_achievement(modes=frozenset({"equity"})), _challenge(), TEXT).total < fit
    far = score_pair(_achievement(price=9_000_000.0), _challenge(), TEXT)
    assert far.total < fit
    assert {"kind": "price_above", "ratio": 3.0} in far.reasons


def test_unknown_parts_count_half():
    unknown = score_pair(Facts(), Facts(), TextEvidence(lexical=0.0))
    # No text relation: only the field's neutral half counts, the fit is gated away.
    assert unknown.parts["field"] == 8.0
    assert unknown.parts["text"] == 0


def test_unrelated_texts_get_little_from_a_perfect_structured_fit():
    unrelated = score_pair(_achievement(fields=frozenset({PV})), _challenge(), TextEvidence(0.0))
    assert unrelated.total < 25


# --- terms -------------------------------------------------------------------------------------


def _vectors(*texts):
    vectors = [
        terms.term_vector({"title": t, "summary": "", "description": "", "keywords": ""})
        for t in texts
    ]
    stats = terms.document_frequencies([v.weights for v in vectors] + [{"filler": 1.0}] * 10)
    return [terms.weighted(v.weights, stats) for v in vectors], vectors


def test_english_is_stemmed_and_stop_words_dropped():
    assert [t for t, _s in analysis.terms_of("The batteries of a battery")] == [
        "batteri",
        "batteri",
    ]


def test_chinese_is_segmented_with_jieba_search_mode():
    found = [t for t, _s in analysis.terms_of("极紫外光刻胶")]
    assert "光刻胶" in found and "光刻" in found


def test_a_chinese_and_an_english_text_meet_through_the_glossary():
    (zh, en, other), vectors = _vectors("极紫外光刻胶", "EUV photoresist", "rice breeding")
    assert terms.cosine(zh, en) > 0.2
    assert terms.cosine(zh, other) == 0
    shared = terms.shared_terms(zh, en, vectors[0].surfaces | vectors[1].surfaces)
    assert "photoresist/光刻胶" in shared


def test_cosine_is_symmetric_and_at_most_one():
    (a, b), _v = _vectors("solid-state battery electrolyte", "solid electrolyte for batteries")
    assert terms.cosine(a, b) == terms.cosine(b, a)
    assert 0 < terms.cosine(a, b) <= 1
    assert terms.cosine(a, a) == 1.0 or abs(terms.cosine(a, a) - 1) < 1e-9


term_weights_st = st.dictionaries(
    st.sampled_from(["rice", "soil", "drone", "光刻", "光刻胶", "§photoresist", "euv", "wafer"]),
    st.sampled_from([0.5, 1.0, 1.5, 2.5, 3.0, 4.5, 7.0]),
)


@given(term_weights_st, term_weights_st)
def test_the_one_pass_cosine_equals_the_cosine_of_the_weighted_vectors(a, b):
    stats = terms.CorpusStats(20, {"rice": 3, "soil": 9, "光刻": 5, "euv": 2, "wafer": 30})
    unit = terms.weighted(a, stats)
    expected = terms.cosine(unit, terms.weighted(b, stats))
    assert abs(terms.cosine_weighted(unit, b, stats) - expected) < 1e-9

"""The score of one (achievement, challenge) pair: pure functions, no database.

``score_pair`` takes what scoring needs of both listings (``Facts``) and the text evidence
(``TextEvidence``: lexical cosine, semantic cosine if any, shared terms) and returns each
part in points, a penalty, the total 0-100 and the reasons as structured items that
``reasons.render`` turns into sentences. docs/matching.md explains the formula and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Points of each part; they add up to 100.
WEIGHTS = {
    "text": 50.0,
    "field": 16.0,
    "maturity": 10.0,
    "modes": 10.0,
    "price": 8.0,
    "region": 6.0,
}
assert sum(WEIGHTS.values()) == 100.0  # noqa: S101 - a programming error, not input

# What an unknown part is worth (either side left it empty): half credit, so that missing
# data neither sinks a pair nor beats a pair that truly fits.
UNKNOWN = 0.5

# Field relation → share of the field points.
FIELD_SAME = 1.0  # the same sub-field (or the same field when both name only a field)
FIELD_PARENT = 0.8  # one names a field, the other one of its sub-fields
FIELD_SIBLING = 0.6  # two sub-fields of the same field
# Lexical cosine at which the lexical text score is full; below it the score rises as the
# square root, since cosines of long texts that really are about the same thing stay low.
LEXICAL_FULL = 0.45
# The semantic evidence is the pair's embedding cosine in standard deviations above that of
# a typical pair of the same language pairing (``profiles.embedding_scale``): cosines of two
# Chinese texts run higher than of two English ones, and both above those of a Chinese and
# an English text, so raw cosines cannot be compared across pairings. At SEMANTIC_FLOOR
# standard deviations the semantic score starts, at SEMANTIC_FULL it is full.
SEMANTIC_FLOOR = 0.5
SEMANTIC_FULL = 3.0
# Share of the text score given to the semantic component when both texts have embeddings,
# by language pairing. Across languages the words rarely meet (the glossary aside), so the
# embedding carries the pair; within one language the two agree, and for English the small
# multilingual model tells a relevant text from a marginal one less well than the words do.
SEMANTIC_SHARE = {"en-zh": 0.8, "zh-zh": 0.5, "en-en": 0.3}
# Two English texts are compared by the English model when both have its embedding: its
# cosine below ENGLISH_FLOOR counts as unrelated, at ENGLISH_FULL the semantic score is
# full, and it takes ENGLISH_SHARE of the text score.
ENGLISH_FLOOR = 0.15
ENGLISH_FULL = 0.65
ENGLISH_SHARE = 0.6

# Multipliers of the whole score for misfits that a challenge owner treats as deal-breakers.
TRL_GAP_FACTORS = {1: 0.7, 2: 0.5}  # TRL below the minimum by 1, 2; 3 or more: TRL_GAP_MAX
TRL_GAP_MAX = 0.3
MODES_MISFIT_FACTOR = 0.8
PRICE_FAR_ABOVE = 2.0  # asking price more than twice the budget's top...
PRICE_FAR_FACTOR = 0.8  # ... multiplies the score by this
GATE = True
TOPICAL_FULL = 0.7


@dataclass(frozen=True)
class FieldRef:
    """A technical field by code; ``parent`` is the top-level code of a sub-field."""

    code: str
    parent: str | None = None

    @property
    def top(self) -> str:
        return self.parent or self.code


@dataclass(frozen=True)
class Facts:
    """What scoring reads of one listing. ``trl`` is an achievement's maturity or a
    challenge's minimum; ``price`` an achievement's asking price (None: negotiable)."""

    fields: frozenset[FieldRef] = frozenset()
    modes: frozenset[str] = frozenset()
    trl: int | None = None
    price: float | None = None
    budget_min: float | None = None
    budget_max: float | None = None
    region: str = ""


@dataclass(frozen=True)
class TextEvidence:
    lexical: float  # TF-IDF cosine, 0-1
    # Embedding cosine, calibrated: standard deviations above a typical pair of the same
    # language pairing. None when either side has no embedding (yet).
    semantic: float | None = None
    terms: tuple[str, ...] = ()  # shared terms, most telling first
    pairing: str = "zh-zh"  # the two texts' languages (``profiles.pairing``)
    # The English model's cosine, when both texts are English: used instead of ``semantic``.
    english: float | None = None


@dataclass
class Score:
    total: float
    parts: dict[str, float]
    reasons: list[dict] = field(default_factory=list)


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def text_relevance(evidence: TextEvidence) -> float:
    lexical = _clip(evidence.lexical / LEXICAL_FULL) ** 0.5
    if evidence.english is not None:
        semantic = _clip((evidence.english - ENGLISH_FLOOR) / (ENGLISH_FULL - ENGLISH_FLOOR))
        return (1 - ENGLISH_SHARE) * lexical + ENGLISH_SHARE * semantic
    if evidence.semantic is None:
        return lexical
    semantic = _clip((evidence.semantic - SEMANTIC_FLOOR) / (SEMANTIC_FULL - SEMANTIC_FLOOR))
    share = SEMANTIC_SHARE.get(evidence.pairing, SEMANTIC_SHARE["zh-zh"])
    return (1 - share) * lexical + share * semantic


def field_fit(a: frozenset[FieldRef], b: frozenset[FieldRef]) -> tuple[float, list[dict]]:
    """The closest relation between any field of one side and any of the other."""
    if not a or not b:
        return UNKNOWN, []
    best, reason = 0.0, None
    for x in sorted(a, key=lambda f: f.code):
        for y in sorted(b, key=lambda f: f.code):
            if x.code == y.code:
                value, item = FIELD_SAME, {"kind": "field_same", "fields": [x.code]}
            elif x.top == y.top and (x.parent is None or y.parent is None):
                value, item = FIELD_PARENT, {"kind": "field_same", "fields": [x.top]}
            elif x.top == y.top:
                value, item = FIELD_SIBLING, {"kind": "field_related", "fields": [x.code, y.code]}
            else:
                continue
            if value > best:
                best, reason = value, item
    return best, [reason] if reason else []


def maturity_fit(trl: int | None, min_trl: int | None) -> tuple[float, float, list[dict]]:
    """(share, multiplier, reasons): meeting the minimum is full credit, missing it costs
    the part and multiplies the whole score down, more the further below."""
    if trl is None or min_trl is None:
        return UNKNOWN, 1.0, []
    if trl >= min_trl:
        return 1.0, 1.0, [{"kind": "trl_meets", "trl": trl, "min": min_trl}]
    factor = TRL_GAP_FACTORS.get(min_trl - trl, TRL_GAP_MAX)
    return 0.0, factor, [{"kind": "trl_below", "trl": trl, "min": min_trl}]


def modes_fit(offered: frozenset[str], wanted: frozenset[str]) -> tuple[float, float, list[dict]]:
    if not offered or not wanted:
        return UNKNOWN, 1.0, []
    common = sorted(offered & wanted)
    if common:
        return 1.0, 1.0, [{"kind": "modes_common", "modes": common}]
    return 0.0, MODES_MISFIT_FACTOR, [{"kind": "modes_none"}]


def price_fit(
    price: float | None, budget_min: float | None, budget_max: float | None
) -> tuple[float, float, list[dict]]:
    if price is None or budget_max is None:
        return UNKNOWN, 1.0, []
    if price <= budget_max:
        return 1.0, 1.0, [{"kind": "price_within"}]
    if budget_max <= 0:
        return 0.0, PRICE_FAR_FACTOR, [{"kind": "price_above", "ratio": None}]
    ratio = price / budget_max
    factor = PRICE_FAR_FACTOR if ratio > PRICE_FAR_ABOVE else 1.0
    return _clip(2.0 - ratio), factor, [{"kind": "price_above", "ratio": round(ratio, 1)}]


def region_fit(a: str, b: str) -> tuple[float, list[dict]]:
    if not a or not b:
        return UNKNOWN, []
    if a == b:
        return 1.0, [{"kind": "region_same", "region": a}]
    return 0.0, []


def score_pair(achievement: Facts, challenge: Facts, text: TextEvidence) -> Score:
    """Score an achievement against a challenge; symmetric in the sense that it does not
    matter which of the two was published last."""
    reasons: list[dict] = []
    shares: dict[str, float] = {}

    shares["text"] = text_relevance(text)
    if text.terms:
        reasons.append({"kind": "terms", "terms": list(text.terms)})
    close = (
        text.english >= ENGLISH_FULL * 0.8
        if text.english is not None
        else text.semantic is not None and text.semantic >= SEMANTIC_FULL * 0.8
    )
    if close:
        reasons.append({"kind": "semantic"})

    shares["field"], why = field_fit(achievement.fields, challenge.fields)
    reasons[:0] = why  # the field comes first in the sentence
    shares["maturity"], trl_factor, why = maturity_fit(achievement.trl, challenge.trl)
    reasons += why
    shares["modes"], modes_factor, why = modes_fit(achievement.modes, challenge.modes)
    reasons += why
    shares["price"], price_factor, why = price_fit(
        achievement.price, challenge.budget_min, challenge.budget_max
    )
    reasons += why
    shares["region"], why = region_fit(achievement.region, challenge.region)
    reasons += why

    # Fit (maturity, modes, price, region) counts in full only for pairs about the same
    # thing: a perfect fit between unrelated listings is no match.
    topical = (WEIGHTS["text"] * shares["text"] + WEIGHTS["field"] * shares["field"]) / (
        WEIGHTS["text"] + WEIGHTS["field"]
    )
    gate = min(1.0, topical / TOPICAL_FULL) if GATE else 1.0
    points = {
        name: WEIGHTS[name] * share * (1.0 if name in ("text", "field") else gate)
        for name, share in shares.items()
    }
    parts = {name: round(value, 1) for name, value in points.items()}
    subtotal = sum(points.values())
    factor = trl_factor * modes_factor * price_factor
    total = max(0.0, min(100.0, subtotal * factor))
    parts["penalty"] = round(total - subtotal, 1)
    return Score(round(total, 1), parts, reasons)

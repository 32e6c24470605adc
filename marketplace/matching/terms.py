"""Weighted term vectors of listings, the lexical half of text relevance.

Segmentation is ``marketplace.text.analysis.index_terms`` (jieba search mode), the one the
search vectors use; here English words are also stemmed with the Snowball English stemmer
(the same algorithm as PostgreSQL's ``english`` configuration) and English stop words are
dropped, so that "batteries" meets "battery" and 光刻胶 meets 光刻. Each part of a listing
counts with a weight (title > keywords > summary > description), and similarity is the
cosine of the two TF-IDF vectors: symmetric, so a pair scores the same whichever side was
published last, and between 0 and 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

from marketplace.text.analysis import has_cjk, index_terms

# How much one occurrence counts, by part of the listing (the search vector's A > B > C > D).
PART_WEIGHTS = {"title": 3.0, "keywords": 2.5, "summary": 1.5, "description": 1.0}

# PostgreSQL's english.stop list, so that both sides drop the same words.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_ASCII_WORD = re.compile(r"^[a-z][a-z0-9]*$")
_NUMBER = re.compile(r"^[\d.,%]+$")


@cache
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # The pure-Python stemmer is the slowest step of analysis; vocabularies repeat.
    return _stemmer().stemWord(word)


def _normalise(token: str) -> tuple[str, str] | None:
    """(term, surface) of one token, or None when it carries no meaning of its own."""
    surface = token.strip()
    lowered = surface.lower()
    if not lowered or _NUMBER.match(lowered):
        return None
    if _ASCII_WORD.match(lowered):
        if lowered in STOP_WORDS or len(lowered) < 2:
            return None
        return _stem(lowered), surface
    return lowered, surface


def terms_of(text: str) -> list[tuple[str, str]]:
    """The (term, surface form) pairs of a text, in order, repeats included."""
    out = []
    for token in index_terms(text or ""):
        pair = _normalise(token)
        if pair is not None:
            out.append(pair)
    return out


# A text is English (for the English semantic model) when almost none of its letters are
# Chinese: an English text may quote a Chinese name or two.
_MAX_CJK_SHARE = 0.05


def is_english(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    cjk = sum(1 for c in letters if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")
    return cjk / len(letters) <= _MAX_CJK_SHARE


@dataclass(frozen=True)
class TermVector:
    """Raw weighted term counts of one listing and a readable surface form of each term."""

    weights: dict[str, float]
    surfaces: dict[str, str]


# --- The bilingual glossary ----------------------------------------------------------------
# Concepts are terms of their own ("§photoresist"), added wherever any of their Chinese or
# English forms occurs, so that 光刻胶 in one listing meets "photoresist" in another.
CONCEPT = "§"
GLOSSARY_FILE = Path(__file__).with_name("glossary.txt")


@dataclass(frozen=True)
class Glossary:
    substrings: dict[str, str]  # Chinese form → concept
    phrases: dict[tuple[str, ...], str]  # stemmed English form → concept
    longest: int  # words in the longest English form
    forms: dict[str, tuple[str, ...]]  # concept → every form, for the full-text query
    labels: dict[str, str]  # concept → "photoresist/光刻胶"


@cache
def glossary() -> Glossary:
    substrings, phrases, forms, labels = {}, {}, {}, {}
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        chinese, _sep, english = line.partition("=")
        all_forms = [f.strip() for f in chinese.split("/") + english.split(";") if f.strip()]
        latin = [f for f in all_forms if not has_cjk(f)]
        cjk = [f for f in all_forms if has_cjk(f)]
        if not latin or not cjk:
            raise ValueError(f"glossary.txt: a concept needs both languages: {line!r}")
        concept = CONCEPT + "_".join(t for t, _s in terms_of(latin[0]))
        forms[concept] = tuple(all_forms)
        labels[concept] = f"{latin[0]}/{cjk[0]}"
        for form in cjk:
            substrings[form] = concept
        for form in latin:
            stems = tuple(t for t, _s in terms_of(form))
            if stems:
                phrases[stems] = concept
    return Glossary(substrings, phrases, max(map(len, phrases)), forms, labels)


def concepts_of(text: str, stems: list[str]) -> list[str]:
    """The glossary concepts a text mentions, once per mention."""
    g = glossary()
    found = []
    if has_cjk(text):
        for form, concept in g.substrings.items():
            found += [concept] * text.count(form)
    for i in range(len(stems)):
        for n in range(1, min(g.longest, len(stems) - i) + 1):
            concept = g.phrases.get(tuple(stems[i : i + n]))
            if concept:
                found.append(concept)
    return found


def term_vector(parts: Mapping[str, str]) -> TermVector:
    """``{"title": ..., "keywords": ..., "summary": ..., "description": ...}`` → vector."""
    weights: dict[str, float] = {}
    surfaces: dict[str, str] = {}
    labels = glossary().labels
    for part, text in parts.items():
        weight = PART_WEIGHTS[part]
        pairs = terms_of(text)
        for term, surface in pairs:
            weights[term] = weights.get(term, 0.0) + weight
            # The first surface in the most important part is the one reasons show.
            surfaces.setdefault(term, surface)
        for concept in concepts_of(text, [t for t, _s in pairs]):
            weights[concept] = weights.get(concept, 0.0) + weight
            surfaces.setdefault(concept, labels[concept])
    return TermVector(
        {t: round(w, 2) for t, w in weights.items()},
        {t: s for t, s in surfaces.items() if s != t},
    )


@dataclass(frozen=True)
class CorpusStats:
    """Document frequencies of terms over the published listings of both kinds."""

    documents: int
    frequencies: Mapping[str, int]
    # idf by term, filled as terms are met: one matching run weighs some 40,000 terms.
    _idf: dict[str, float] = field(default_factory=dict, init=False, repr=False, compare=False)

    def idf(self, term: str) -> float:
        value = self._idf.get(term)
        if value is None:
            df = self.frequencies.get(term, 0)
            value = self._idf[term] = math.log((self.documents + 1) / (df + 0.5))
        return value


def weighted(weights: Mapping[str, float], stats: CorpusStats) -> dict[str, float]:
    """Sublinear term frequency times inverse document frequency, unit length."""
    vector = {}
    for term, raw in weights.items():
        idf = stats.idf(term)
        if idf <= 0:
            continue
        vector[term] = (1.0 + math.log(raw) if raw >= 1 else raw) * idf
    norm = math.sqrt(sum(v * v for v in vector.values()))
    if not norm:
        return {}
    return {t: v / norm for t, v in vector.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two unit vectors (dicts), between 0 and 1."""
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, sum(v * b[t] for t, v in a.items() if t in b))


def cosine_weighted(
    unit: Mapping[str, float], weights: Mapping[str, float], stats: CorpusStats
) -> float:
    """``cosine(unit, weighted(weights, stats))`` in one pass, without building the second
    vector: scoring needs this for every candidate, and drops most of them."""
    idf = stats.idf
    dot = norm = 0.0
    for term, raw in weights.items():
        factor = idf(term)
        if factor <= 0:
            continue
        value = (1.0 + math.log(raw) if raw >= 1 else raw) * factor
        norm += value * value
        own = unit.get(term)
        if own is not None:
            dot += own * value
    if not norm:
        return 0.0
    return min(1.0, dot / math.sqrt(norm))


# Words too general to tell anyone why two listings match (they still count in scoring).
_GENERAL = frozenset(
    """
    技术 需求 合作 系统 方法 实现 提供 要求 小于 大于 以上 以下 进行 采用 应用 研究 开发 产品
    项目 企业 公司 我们 可以 具有 相关 能力 方案 用于 基于 通过 提高 降低 领域 国内 国际 行业
    use base system method provid develop technolog applic new high low improv solut need
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def _telling(term: str, word: str) -> bool:
    if term in _GENERAL or len(word) < 2:
        return False
    # "mm", "cm": units; "AI", "5G": acronyms, kept.
    return not (word.isascii() and len(word) == 2 and word.islower())


def shared_terms(
    a: Mapping[str, float],
    b: Mapping[str, float],
    surfaces: Mapping[str, str],
    limit: int = 5,
) -> list[str]:
    """The shared terms that add most to the similarity, readable; a longer word replaces
    the shorter ones inside it (光刻胶 rather than 光刻 and 光刻胶)."""
    common = sorted(((a[t] * b[t], t) for t in a if t in b), reverse=True)
    shown: list[str] = []
    for _contribution, term in common:
        word = surfaces.get(term, term)
        if not _telling(term, word) or any(word in other for other in shown):
            continue
        inside = [i for i, other in enumerate(shown) if other in word]
        if inside:
            shown[inside[0]] = word
            shown = [w for i, w in enumerate(shown) if i == inside[0] or i not in inside]
            continue
        shown.append(word)
        if len(shown) == limit:
            break
    return shown


def distinctive_terms(weights: Mapping[str, float], stats: CorpusStats, limit: int) -> list[str]:
    """The listing's terms that best tell it apart: highest TF-IDF first."""
    vector = weighted(weights, stats)
    return [t for t, _v in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def document_frequencies(vectors: Iterable[Mapping[str, float]]) -> CorpusStats:
    """Stats of an in-memory collection (evaluation, tests)."""
    frequencies: dict[str, int] = {}
    n = 0
    for weights in vectors:
        n += 1
        for term in weights:
            frequencies[term] = frequencies.get(term, 0) + 1
    return CorpusStats(n, frequencies)

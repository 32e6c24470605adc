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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from marketplace.text.analysis import terms_of
from marketplace.text.glossary import concepts_of, glossary

# How much one occurrence counts, by part of the listing (the search vector's A > B > C > D).
PART_WEIGHTS = {"title": 3.0, "keywords": 2.5, "summary": 1.5, "description": 1.0}


@dataclass(frozen=True)
class TermVector:
    """Raw weighted term counts of one listing and a readable surface form of each term."""

    weights: dict[str, float]
    surfaces: dict[str, str]


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
    设计 测试 团队 工艺 合作方 验证 性能 成本 效率 提升 解决 问题 关键 核心 支持 服务 平台 数据
    use base system method provid develop technolog applic new high low improv solut need
    team design test process partner perform cost effici support servic platform data
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# A shared term is shown among the reasons only if it is specific: found in at most one
# listing in ten (or in a handful, while there are few listings to judge by).
SPECIFIC_SHARE = 0.1
SPECIFIC_MIN_DOCUMENTS = 5


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
    *,
    stats: CorpusStats | None = None,
) -> list[str]:
    """The shared terms that add most to the similarity, readable, and specific (with
    ``stats``: see ``SPECIFIC_SHARE``); a longer word replaces the shorter ones inside it
    (光刻胶 rather than 光刻 and 光刻胶)."""
    common = sorted(((a[t] * b[t], t) for t in a if t in b), reverse=True)
    shown: list[str] = []
    for _contribution, term in common:
        word = surfaces.get(term, term)
        if not _telling(term, word) or any(word in other for other in shown):
            continue
        if stats is not None and stats.frequencies.get(term, 0) > max(
            SPECIFIC_MIN_DOCUMENTS, SPECIFIC_SHARE * stats.documents
        ):
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

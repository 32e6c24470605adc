"""Measuring match quality on a labelled set (format: shared/matching/README.md).

Pure functions: the metrics, and a plain BM25 ranking of the same texts for comparison.
The ``evaluate_matching`` command loads a set into the database and ranks with the engine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from marketplace.matching.terms import terms_of

RELEVANT = 2  # a judgement at least this high counts as relevant for P@5 and R@10


@dataclass(frozen=True)
class Metrics:
    ndcg10: float
    p5: float
    r10: float


def judged(judgements: Sequence[Mapping]) -> dict[str, dict[str, int]]:
    """{challenge key: {achievement key: relevance}}."""
    out: dict[str, dict[str, int]] = {}
    for j in judgements:
        out.setdefault(j["challenge"], {})[j["achievement"]] = int(j["relevance"])
    return out


def evaluated_challenges(grades: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Challenges with at least one relevant achievement, the ones the metrics average."""
    return sorted(c for c, g in grades.items() if any(r >= RELEVANT for r in g.values()))


def metrics(ranking: Sequence[str], grades: Mapping[str, int]) -> Metrics:
    """P@5, R@10 and nDCG@10 (gain 2^rel − 1) of one ranked list of achievement keys."""
    relevant = {a for a, r in grades.items() if r >= RELEVANT}
    top5, top10 = ranking[:5], ranking[:10]
    p5 = sum(1 for a in top5 if a in relevant) / 5
    r10 = sum(1 for a in top10 if a in relevant) / len(relevant) if relevant else 0.0

    def dcg(rels: Sequence[int]) -> float:
        return sum((2**rel - 1) / math.log2(i + 2) for i, rel in enumerate(rels))

    ideal = dcg(sorted(grades.values(), reverse=True)[:10])
    ndcg = dcg([grades.get(a, 0) for a in top10]) / ideal if ideal else 0.0
    return Metrics(ndcg, p5, r10)


def mean(values: Sequence[Metrics]) -> Metrics:
    n = len(values) or 1
    return Metrics(
        sum(m.ndcg10 for m in values) / n,
        sum(m.p5 for m in values) / n,
        sum(m.r10 for m in values) / n,
    )


def listing_text(item: Mapping) -> str:
    """The texts a baseline may read: title, summary, description, keywords."""
    keywords = " ".join(item.get("keywords") or [])
    return " ".join(
        x for x in (item.get("title"), item.get("summary"), item.get("description"), keywords) if x
    )


def bm25_rankings(
    queries: Mapping[str, str], documents: Mapping[str, str], k1: float = 1.2, b: float = 0.75
) -> dict[str, list[str]]:
    """Plain BM25 (jieba for Chinese, stemmed English): {query key: document keys, best first}."""
    doc_terms = {key: [t for t, _s in terms_of(text)] for key, text in documents.items()}
    n = len(doc_terms)
    avg = sum(len(t) for t in doc_terms.values()) / (n or 1)
    df: dict[str, int] = {}
    tf: dict[str, dict[str, int]] = {}
    for key, terms in doc_terms.items():
        counts: dict[str, int] = {}
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
        tf[key] = counts
        for t in counts:
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
    rankings = {}
    for qkey, text in queries.items():
        query: dict[str, int] = {}
        for t, _s in terms_of(text):
            query[t] = query.get(t, 0) + 1
        scores = {}
        for dkey, counts in tf.items():
            norm = k1 * (1 - b + b * len(doc_terms[dkey]) / avg)
            s = 0.0
            for t, qf in query.items():
                f = counts.get(t)
                if f:
                    s += qf * idf[t] * f * (k1 + 1) / (f + norm)
            if s > 0:
                scores[dkey] = s
        rankings[qkey] = sorted(scores, key=lambda k: (-scores[k], k))
    return rankings

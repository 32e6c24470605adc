"""Measuring search and match quality on a labelled set (format: shared/matching/README.md).

The metrics, a plain BM25 ranking of the same texts for comparison, and the loading of a set
into the database that ``evaluate_search`` and ``evaluate_matching`` share.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.choices import OrganizationKind
from accounts.models import Organization
from marketplace.listings.choices import IPStatus, ListingStatus
from marketplace.listings.indexing import listings_embed_stale, listings_reindex
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.text.analysis import terms_of

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


# --- Loading a set into the database --------------------------------------------------------
# The evaluation commands load a set into an EMPTY database, inside a transaction they roll
# back: organisations, published listings with their fields, search vectors, facet keys
# and embeddings, as publication would leave them.

# Production requires an achievement's TRL; a set that leaves it out gets this one (a
# university result validated in the laboratory), and the count is reported.
DEFAULT_TRL = 4


class SetError(Exception):
    """The set cannot be loaded (unreadable, an unknown field, a database in use)."""


def read_set(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SetError(f"Cannot read {path}: {exc}") from None


def require_empty_database(command: str) -> None:
    """Refuse a database with organisations or listings: the set's would mix with them."""
    if Organization.objects.exists() or Achievement.objects.exists() or Challenge.objects.exists():
        raise SetError(
            f"The database is not empty: {command} loads a set into an empty database "
            "(migrated, no organisations or listings). Use a fresh one, e.g. "
            f"`make {command.replace('_', '-')} SET=…`, which keeps a database of its own."
        )


def load_set(data: dict, *, log: Callable[[str], None]) -> tuple[dict[str, int], dict[str, int]]:
    """Write the set's listings; returns ({achievement key: id}, {challenge key: id})."""
    started = time.monotonic()
    now = timezone.now()
    fields = {f.code: f for f in TechnicalField.objects.all()}
    organizations: dict[str, Organization] = {}

    def organization(name: str | None, kind: str, region: str | None) -> Organization:
        name = (name or "Unnamed organisation").strip()
        if name.lower() not in organizations:
            organizations[name.lower()] = Organization.objects.create(
                name=name, kind=kind, region=region or "", is_verified=True, verified_at=now
            )
        return organizations[name.lower()]

    missing_trl = 0
    achievements = []
    for item in data["achievements"]:
        price = item.get("price")
        trl = item.get("trl")
        if trl is None:
            missing_trl += 1
        achievements.append(
            Achievement(
                organization=organization(
                    item.get("organization"), OrganizationKind.UNIVERSITY, item.get("region")
                ),
                status=ListingStatus.PUBLISHED,
                published_at=now,
                expires_at=now + timedelta(days=settings.ACHIEVEMENT_VALID_DAYS),
                trl=trl or DEFAULT_TRL,
                ip_status=item.get("ip_status") or IPStatus.NONE,
                transaction_modes=item.get("modes") or [],
                price_negotiable=price is None,
                asking_price=None if price is None else Decimal(str(price)),
                **_common(item),
            )
        )
    challenges = []
    for item in data["challenges"]:
        deadline = item.get("deadline")
        budget_min, budget_max = item.get("budget_min"), item.get("budget_max")
        challenges.append(
            Challenge(
                organization=organization(
                    item.get("organization"), OrganizationKind.ENTERPRISE, item.get("region")
                ),
                status=ListingStatus.PUBLISHED,
                published_at=now,
                deadline=max(
                    date.fromisoformat(deadline) if deadline else date.min,
                    timezone.localdate() + timedelta(days=30),
                ),
                cooperation_modes=item.get("modes") or [],
                min_trl=item.get("min_trl"),
                budget_min=None if budget_min is None else Decimal(str(budget_min)),
                budget_max=None if budget_max is None else Decimal(str(budget_max)),
                **_common(item),
            )
        )
    Achievement.objects.bulk_create(achievements, batch_size=500)
    Challenge.objects.bulk_create(challenges, batch_size=500)
    for model, objects, items in (
        (Achievement, achievements, data["achievements"]),
        (Challenge, challenges, data["challenges"]),
    ):
        through = model.fields.through
        column = f"{model.kind}_id"
        rows = []
        for listing, item in zip(objects, items, strict=True):
            for code in dict.fromkeys(item.get("fields") or []):
                if code not in fields:
                    raise SetError(f"{item['key']}: unknown field code {code!r}")
                rows.append(through(**{column: listing.pk}, technicalfield_id=fields[code].pk))
        through.objects.bulk_create(rows, batch_size=1000)
        listings_reindex(model, [x.pk for x in objects])
    if missing_trl:
        log(f"{missing_trl} achievements had no TRL: loaded as TRL {DEFAULT_TRL}")
    log(f"loaded and indexed in {time.monotonic() - started:.1f} s")

    started = time.monotonic()
    for model in (Achievement, Challenge):
        listings_embed_stale(model, batch=32)
    log(f"embedded in {time.monotonic() - started:.1f} s")

    started = time.monotonic()
    for model in (Achievement, Challenge):
        listings_embed_stale(model, batch=32)
    log(f"embedded ({settings.EMBEDDING_MODEL}) in {time.monotonic() - started:.1f} s")
    return (
        {item["key"]: a.pk for item, a in zip(data["achievements"], achievements, strict=True)},
        {item["key"]: c.pk for item, c in zip(data["challenges"], challenges, strict=True)},
    )


def _common(item: dict) -> dict:
    return {
        "title": (item.get("title") or "")[:200],
        "summary": item.get("summary") or "",
        "description": item.get("description") or "",
        "keywords": item.get("keywords") or [],
        "region": item.get("region") or "",
    }


def report(
    label: str,
    rankings: Mapping[str, Sequence[str]],
    grades: Mapping[str, Mapping[str, int]],
    keys: Sequence[str],
    *,
    write: Callable[[str], None],
    per_challenge: bool,
    count: str = "challenges",
) -> Metrics:
    """Write each challenge's metrics (if asked) and the overall line; returns the mean."""
    rows = []
    for key in keys:
        m = metrics(rankings.get(key, []), grades[key])
        rows.append(m)
        if per_challenge:
            write(
                f"{key:<20} nDCG@10 {m.ndcg10:.3f} P@5 {m.p5:.3f} R@10 {m.r10:.3f} "
                f"ranked {len(rankings.get(key, []))}"
            )
    overall = mean(rows)
    write(
        f"{label} nDCG@10 {overall.ndcg10:.3f} P@5 {overall.p5:.3f} "
        f"R@10 {overall.r10:.3f} {count} {len(keys)}"
    )
    return overall

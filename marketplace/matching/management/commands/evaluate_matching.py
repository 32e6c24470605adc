"""Measure the matching engine on a labelled set (format: shared/matching/README.md).

    manage.py evaluate_matching ../shared/matching/dev-zh.json [--baseline] [--keep]

Loads the set into an EMPTY database (it refuses otherwise): organisations, published
listings with their fields, search vectors (``listings_reindex``) and profiles; then runs
``listing_match`` for each judged challenge exactly as the outbox handler does after a
publication, and ranks each challenge's achievements by the stored matches. Prints
precision@5, recall@10 and nDCG@10 per challenge and overall; the last line is
``overall nDCG@10 <x> P@5 <y> R@10 <z> challenges <n>``. ``--baseline`` also ranks the same
texts with plain BM25. Everything is rolled back at the end unless ``--keep``.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.choices import OrganizationKind
from accounts.models import Organization
from marketplace.listings.choices import IPStatus, ListingStatus
from marketplace.listings.indexing import listings_embed_stale, listings_reindex
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.matching import evaluation
from marketplace.matching.models import ListingProfile, Match
from marketplace.matching.profiles import profiles_refresh, stats_forget
from marketplace.matching.services import listing_match

# Production requires an achievement's TRL; a set that leaves it out gets this one (a
# university result validated in the laboratory), and the count is reported.
DEFAULT_TRL = 4


class Rollback(Exception):
    """Raised to undo the loaded set once measured."""


class Command(BaseCommand):
    help = "Load a labelled matching set into an empty database and measure the engine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--baseline", action="store_true", help="also rank with BM25")
        parser.add_argument(
            "--keep", action="store_true", help="keep the loaded set instead of rolling back"
        )

    def handle(self, *args, path: Path, baseline: bool, keep: bool, **options) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        if (
            Organization.objects.exists()
            or Achievement.objects.exists()
            or Challenge.objects.exists()
            or Match.objects.exists()
            or ListingProfile.objects.exists()
        ):
            raise CommandError(
                "The database is not empty: evaluate_matching loads a set into an empty "
                "database (migrated, no organisations or listings). Use a fresh one, e.g. "
                "DATABASE_URL=postgres://…/keqiao_eval after createdb and migrate."
            )
        grades = evaluation.judged(data.get("judgements", []))
        keys = evaluation.evaluated_challenges(grades)
        self._log(
            f"{data.get('name', path.name)}: {len(data['achievements'])} achievements, "
            f"{len(data['challenges'])} challenges, {len(keys)} judged; embeddings "
            f"{settings.EMBEDDING_MODEL}; threshold {settings.MATCH_THRESHOLD}, "
            f"at most {settings.MATCH_MAX_PER_LISTING} per listing"
        )
        rankings: dict[str, list[str]] = {}
        try:
            with transaction.atomic():
                achievements, challenges = self._load(data)
                started = time.monotonic()
                for key in keys:
                    if key not in challenges:
                        raise CommandError(f"Judged challenge {key} is not in the set")
                    listing_match(kind="challenge", listing_id=challenges[key])
                    by_id = {pk: k for k, pk in achievements.items()}
                    rankings[key] = [
                        by_id[pk]
                        for pk in Match.objects.filter(challenge_id=challenges[key])
                        .order_by("-score", "pk")
                        .values_list("achievement_id", flat=True)
                    ]
                elapsed = time.monotonic() - started
                self._log(f"matched {len(keys)} challenges in {elapsed:.1f} s")
                if not keep:
                    raise Rollback
        except Rollback:
            pass
        finally:
            stats_forget()

        if baseline:
            queries = {c["key"]: evaluation.listing_text(c) for c in data["challenges"]}
            documents = {a["key"]: evaluation.listing_text(a) for a in data["achievements"]}
            bm25 = evaluation.bm25_rankings({k: queries[k] for k in keys}, documents)
            self._report("baseline BM25", bm25, grades, keys, per_challenge=False)
        self._report("overall", rankings, grades, keys, per_challenge=True)

    # --- loading -------------------------------------------------------------------------

    def _load(self, data: dict) -> tuple[dict[str, int], dict[str, int]]:
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
                    **self._common(item),
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
                    **self._common(item),
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
                        raise CommandError(f"{item['key']}: unknown field code {code!r}")
                    rows.append(through(**{column: listing.pk}, technicalfield_id=fields[code].pk))
            through.objects.bulk_create(rows, batch_size=1000)
            listings_reindex(model, [x.pk for x in objects])
        if missing_trl:
            self._log(f"{missing_trl} achievements had no TRL: loaded as TRL {DEFAULT_TRL}")
        self._log(f"loaded and indexed in {time.monotonic() - started:.1f} s")

        started = time.monotonic()
        for model in (Achievement, Challenge):
            listings_embed_stale(model, batch=32)
        self._log(f"embedded in {time.monotonic() - started:.1f} s")

        started = time.monotonic()
        for objects in (achievements, challenges):
            for i in range(0, len(objects), 64):
                profiles_refresh(objects[i : i + 64])
        stats_forget()
        self._log(f"profiles built in {time.monotonic() - started:.1f} s")
        return (
            {item["key"]: a.pk for item, a in zip(data["achievements"], achievements, strict=True)},
            {item["key"]: c.pk for item, c in zip(data["challenges"], challenges, strict=True)},
        )

    @staticmethod
    def _common(item: dict) -> dict:
        return {
            "title": (item.get("title") or "")[:200],
            "summary": item.get("summary") or "",
            "description": item.get("description") or "",
            "keywords": item.get("keywords") or [],
            "region": item.get("region") or "",
        }

    # --- reporting -----------------------------------------------------------------------

    def _report(self, label, rankings, grades, keys, *, per_challenge: bool) -> None:
        rows = []
        for key in keys:
            m = evaluation.metrics(rankings.get(key, []), grades[key])
            rows.append(m)
            if per_challenge:
                self.stdout.write(
                    f"{key:<20} nDCG@10 {m.ndcg10:.3f} P@5 {m.p5:.3f} R@10 {m.r10:.3f} "
                    f"matches {len(rankings.get(key, []))}"
                )
        overall = evaluation.mean(rows)
        self.stdout.write(
            f"{label} nDCG@10 {overall.ndcg10:.3f} P@5 {overall.p5:.3f} "
            f"R@10 {overall.r10:.3f} challenges {len(keys)}"
        )

    def _log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

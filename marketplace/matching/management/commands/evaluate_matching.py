"""Measure the matching engine on a labelled set (format: shared/matching/README.md).

    manage.py evaluate_matching ../shared/matching/dev-zh.json [--baseline] [--keep]
    make evaluate-matching SET=../shared/matching/dev-zh.json   (a database of its own)

Loads the set into an EMPTY database (it refuses otherwise, ``search.evaluation``):
organisations, published listings with their fields, search vectors, embeddings and
profiles; then runs ``listing_match`` for each judged challenge exactly as the outbox
handler does after a publication, and ranks each challenge's achievements by the stored
matches. Prints precision@5, recall@10 and nDCG@10 per challenge and overall; the last line
is ``overall nDCG@10 <x> P@5 <y> R@10 <z> challenges <n>``. ``--baseline`` also ranks the
same texts with plain BM25. Everything is rolled back at the end unless ``--keep``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from marketplace.listings.models import Achievement, Challenge
from marketplace.matching.models import ListingProfile, Match
from marketplace.matching.profiles import profiles_refresh, stats_forget
from marketplace.matching.services import listing_match
from marketplace.search import evaluation


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
            data = evaluation.read_set(path)
            evaluation.require_empty_database("evaluate_matching")
            if Match.objects.exists() or ListingProfile.objects.exists():
                raise evaluation.SetError("The database is not empty: it holds matches.")
        except evaluation.SetError as exc:
            raise CommandError(str(exc)) from None
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
                try:
                    achievements, challenges = evaluation.load_set(data, log=self._log)
                except evaluation.SetError as exc:
                    raise CommandError(str(exc)) from None
                self._profiles(achievements, challenges)
                started = time.monotonic()
                by_id = {pk: k for k, pk in achievements.items()}
                for key in keys:
                    if key not in challenges:
                        raise CommandError(f"Judged challenge {key} is not in the set")
                    listing_match(kind="challenge", listing_id=challenges[key])
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

        write = self.stdout.write
        if baseline:
            queries = {c["key"]: evaluation.listing_text(c) for c in data["challenges"]}
            documents = {a["key"]: evaluation.listing_text(a) for a in data["achievements"]}
            bm25 = evaluation.bm25_rankings({k: queries[k] for k in keys}, documents)
            evaluation.report("baseline BM25", bm25, grades, keys, write=write, per_challenge=False)
        evaluation.report("overall", rankings, grades, keys, write=write, per_challenge=True)

    def _profiles(self, achievements: dict[str, int], challenges: dict[str, int]) -> None:
        started = time.monotonic()
        for model, ids in ((Achievement, achievements), (Challenge, challenges)):
            listings = list(model.objects.filter(pk__in=ids.values()).order_by("pk"))
            for i in range(0, len(listings), 64):
                profiles_refresh(listings[i : i + 64])
        stats_forget()
        self._log(f"profiles built in {time.monotonic() - started:.1f} s")

    def _log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

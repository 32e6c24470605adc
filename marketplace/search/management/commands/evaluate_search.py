"""Measure the search on a labelled set (the format of shared/matching/README.md).

    manage.py evaluate_search ../shared/matching/dev-en.json [--lexical]
    make evaluate-search SET=../shared/matching/dev-en.json [ARGS=--lexical]

Loads the set into an EMPTY database (``search.evaluation``: organisations, published
listings, search vectors, embeddings), then searches the achievements with each judged
challenge's title as the query, through the real search code (``listings_search``: full
text with the glossary, vector neighbours, reciprocal rank fusion), and scores the first ten
results against the judgements. ``--lexical`` searches by full text alone, without the
vector neighbours, for comparison. Rolled back at the end. The last line is
``overall nDCG@10 <x> P@5 <y> R@10 <z> queries <n>``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.http import QueryDict
from django.test.utils import override_settings

from marketplace.listings.models import Achievement
from marketplace.search import evaluation
from marketplace.search.filters import samples_forget
from marketplace.search.selectors import listings_search


class Rollback(Exception):
    """Raised to undo the loaded set once measured."""


class Command(BaseCommand):
    help = "Load a labelled set into an empty database and measure the search on it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--lexical", action="store_true", help="full text alone, no vector neighbours"
        )

    def handle(self, *args, path: Path, lexical: bool, **options) -> None:
        try:
            data = evaluation.read_set(path)
            evaluation.require_empty_database("evaluate_search")
        except evaluation.SetError as exc:
            raise CommandError(str(exc)) from None
        grades = evaluation.judged(data.get("judgements", []))
        keys = evaluation.evaluated_challenges(grades)
        titles = {c["key"]: c.get("title") or "" for c in data["challenges"]}
        missing = [key for key in keys if key not in titles]
        if missing:
            raise CommandError(f"Judged challenges not in the set: {', '.join(missing)}")
        self._log(
            f"{data.get('name', path.name)}: {len(data['achievements'])} achievements, "
            f"{len(keys)} queries; {'full text only' if lexical else 'hybrid'}"
        )
        rankings: dict[str, list[str]] = {}
        try:
            with transaction.atomic():
                try:
                    achievements, _challenges = evaluation.load_set(data, log=self._log)
                except evaluation.SetError as exc:
                    raise CommandError(str(exc)) from None
                samples_forget()
                by_id = {pk: key for key, pk in achievements.items()}
                started = time.monotonic()
                neighbours = {"SEARCH_VECTOR_NEIGHBOURS": 0} if lexical else {}
                with override_settings(**neighbours):
                    for key in keys:
                        params = QueryDict(mutable=True)
                        params["q"] = titles[key]
                        results = listings_search(Achievement, params, per_page=10)
                        rankings[key] = [by_id[x.pk] for x in results.page.object_list]
                self._log(f"searched {len(keys)} queries in {time.monotonic() - started:.1f} s")
                raise Rollback
        except Rollback:
            pass
        finally:
            samples_forget()
        evaluation.report(
            "overall",
            rankings,
            grades,
            keys,
            write=self.stdout.write,
            per_challenge=True,
            count="queries",
        )

    def _log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

"""Rebuild the matching profiles (terms, embeddings) of listings.

    manage.py rebuild_match_profiles [--kind achievement|challenge] [--all] [--processes 2]

Publication keeps profiles current; run this after a bulk load that bypassed the services
(``bench_data``), after changing the text analysis or the glossary, or after turning the
semantic model on. By default only published listings are rebuilt.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from marketplace.listings.kinds import KINDS, model_for
from marketplace.matching.profiles import profiles_rebuild
from marketplace.matching.retrieval import matchable


class Command(BaseCommand):
    help = "Rebuild the matching profiles of listings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=KINDS, help="one kind only")
        parser.add_argument(
            "--all", dest="every", action="store_true", help="every listing, not only published"
        )
        parser.add_argument("--processes", type=int, default=1)

    def handle(self, *args, kind: str | None, every: bool, processes: int, **options) -> None:
        for name, model in ((kind, model_for(kind)) for kind in KINDS):
            if kind and name != kind:
                continue
            queryset = model.objects.all() if every else matchable(model)
            ids = list(queryset.order_by("pk").values_list("pk", flat=True))
            started = time.monotonic()
            done = profiles_rebuild(model, ids, processes=max(1, processes))
            self.stdout.write(
                f"{done} {model._meta.verbose_name_plural} in {time.monotonic() - started:.0f} s"
            )

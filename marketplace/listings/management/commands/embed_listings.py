"""Embed the listings whose embedding is missing or stale (their text changed, or the model).

    manage.py embed_listings [--kind achievement|challenge] [--batch 16] [--limit N]

For a database loaded in bulk, or after a change of the embedding model; publication and
edits embed by themselves, after commit (``listings.indexing``). Published listings go
first. Resumable: each batch commits, so a stopped run is continued by running it again,
and a finished one finds nothing to do. Prints its progress and an estimate of the time
left. Matching picks the vectors up at the next run of each listing; run
``rebuild_match_profiles`` and let the listings be matched again if many changed.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F, Q

from marketplace.listings.indexing import listings_embed_stale
from marketplace.listings.kinds import KINDS, model_for


class Command(BaseCommand):
    help = "Embed the listings whose embedding is missing or stale (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=KINDS, help="one kind only")
        parser.add_argument("--batch", type=int, default=16, help="texts embedded together")
        parser.add_argument("--limit", type=int, default=None, help="stop after this many")

    def handle(self, *args, kind: str | None, batch: int, limit: int | None, **options) -> None:
        for name in [kind] if kind else KINDS:
            model = model_for(name)
            todo = model.objects.filter(
                Q(embedding__isnull=True) | ~Q(embedding_hash=F("text_hash"))
            ).count()
            if limit is not None:
                todo = min(todo, limit)
            if not todo:
                self.stdout.write(f"{name}s: nothing to embed")
                continue
            started = time.monotonic()

            def progress(done: int, name: str = name, todo: int = todo, t0: float = started):
                elapsed = time.monotonic() - t0
                left = elapsed / done * (todo - done)
                self.stdout.write(
                    f"{name}s: {done}/{todo} embedded, {done / elapsed:.1f}/s, "
                    f"about {left / 60:.0f} min left"
                )

            done = listings_embed_stale(model, batch=max(1, batch), limit=limit, progress=progress)
            self.stdout.write(f"{name}s: {done} embedded in {time.monotonic() - started:.0f} s")

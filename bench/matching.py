"""How fast is matching one listing against ~100k published counterparts, and how close to
its candidate SQL?

    make bench-matching      (the database of ``make bench-data``; see bench/README.md)

Needs the data of ``manage.py bench_data`` and the matching tables (``manage.py migrate``).
The first run builds the missing listing profiles (terms of each published listing, what
publication builds in production) and keeps them; later runs start at once.

For N random published listings of both kinds, ``services.listing_match`` runs exactly as
the outbox handler runs it (candidates from the index, profiles, scoring, reasons, Match
upserts), with ``notify`` replaced by a no-op and each run rolled back, so the data is left
as it was. The candidate statements each run sent (every statement of
``retrieval.candidate_ids``: the full-text OR query on the GIN-indexed search vector and the
same-field queries) are then run bare through a separate psycopg connection: the floor that
matching cannot beat. Each kind's line also gives the statements of a run (median). The
embeddings of the bench listings are those of the stand-in model (``bench_data``), which the
HNSW index searches as it would real ones; the real model's throughput is measured apart,
on bench texts, and printed before the last line.

The last line: ``match p95 <ms> ms, candidate sql p95 <ms> ms, counterparts <n>``, over the
runs of challenges, each matched against every published achievement (the larger side).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

MIN_PUBLISHED = 10_000


class Rollback(Exception):
    pass


def fail(message: str) -> None:
    print(f"bench/matching.py: {message}", file=sys.stderr)
    sys.exit(2)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="listings of each kind to match")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--embed", type=int, default=24, help="listings to embed for real")
    parser.add_argument(
        "--no-embedding", action="store_true", help="skip the embedding throughput line"
    )
    args = parser.parse_args()

    import django

    django.setup()
    import psycopg
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor
    from django.test.utils import CaptureQueriesContext

    from marketplace.listings.models import Achievement, Challenge
    from marketplace.matching import profiles, retrieval, services

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        fail("the database has unapplied migrations: run `manage.py migrate` first")
    published = {m: retrieval.matchable(m).count() for m in (Achievement, Challenge)}
    if published[Achievement] < MIN_PUBLISHED:
        fail(f"only {published[Achievement]} published achievements: run `manage.py bench_data`")

    # Profiles of every published listing, built once and kept (publication builds them).
    # An anti-join: NOT IN (subquery) over 100k ids outgrows work_mem and takes minutes.
    for model in (Achievement, Challenge):
        missing = list(
            retrieval.matchable(model)
            .filter(match_profile__isnull=True)
            .values_list("pk", flat=True)
        )
        if missing:
            started = time.monotonic()
            profiles.profiles_rebuild(model, missing, processes=os.cpu_count() or 1)
            print(
                f"built {len(missing)} {model._meta.model_name} profiles in "
                f"{time.monotonic() - started:.0f} s (once)"
            )
    started = time.monotonic()
    stats = profiles.corpus_stats()
    print(
        f"term statistics: {stats.documents} profiles, {len(stats.frequencies)} terms, "
        f"counted in {time.monotonic() - started:.1f} s (once per process per "
        f"{settings.MATCH_STATS_SECONDS} s)"
    )

    services.notify = lambda **kwargs: []
    # The candidate statements are those ``retrieval.candidate_ids`` sends.
    candidate_sql: list[str] = []
    candidate_ids = retrieval.candidate_ids

    def candidate_ids_captured(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            ids = candidate_ids(*args, **kwargs)
        candidate_sql.extend(q["sql"] for q in queries.captured_queries)
        return ids

    retrieval.candidate_ids = candidate_ids_captured
    rng = random.Random(args.seed)  # noqa: S311 - sampling, not secrets
    samples = {
        model: rng.sample(
            list(retrieval.matchable(model).values_list("pk", flat=True)),
            args.runs + args.warmup,
        )
        for model in (Achievement, Challenge)
    }
    bare = psycopg.connect(_dsn(settings), autocommit=True)
    results: dict[str, dict[str, list[float]]] = {}
    for model in (Challenge, Achievement):
        kind = model._meta.model_name
        times: dict[str, list[float]] = {"match": [], "sql": [], "statements": []}
        for i, pk in enumerate(samples[model]):
            candidate_sql.clear()
            # The query log keeps the last 9,000 statements; past that, captures go wrong.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                try:
                    with transaction.atomic():
                        services.listing_match(kind=kind, listing_id=pk)
                        raise Rollback
                except Rollback:
                    pass
                elapsed = time.perf_counter() - started
            sql_time = 0.0
            # In one transaction, as they ran (the HNSW settings are local to it); the
            # savepoints Django wrapped them in are left out.
            with bare.transaction():
                for sql in candidate_sql:
                    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
                        continue
                    t0 = time.perf_counter()
                    cursor = bare.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()
                    sql_time += time.perf_counter() - t0
            if i >= args.warmup:
                times["match"].append(elapsed * 1000)
                times["sql"].append(sql_time * 1000)
                times["statements"].append(len(queries.captured_queries))
        results[kind] = times
        other = Achievement if model is Challenge else Challenge
        print(
            f"{kind:<11} → {published[other]:>6} published {other._meta.model_name}s: "
            f"match p50 {percentile(times['match'], 50):.0f} ms p95 "
            f"{percentile(times['match'], 95):.0f} ms; candidate sql p50 "
            f"{percentile(times['sql'], 50):.0f} ms p95 {percentile(times['sql'], 95):.0f} ms; "
            f"{percentile(times['statements'], 50):.0f} statements ({len(times['match'])} runs)"
        )

    if not args.no_embedding:
        _embedding_throughput(samples[Achievement][: args.embed], published)
    challenge_runs = results["challenge"]
    print(
        f"match p95 {percentile(challenge_runs['match'], 95):.0f} ms, candidate sql p95 "
        f"{percentile(challenge_runs['sql'], 95):.0f} ms, counterparts {published[Achievement]}"
    )


def _embedding_throughput(ids: list[int], published: dict) -> None:
    """The real model's cost: one worker embedding listings one by one (what the task after
    each write does) and in batches of 16 (what ``embed_listings`` does), on the texts of
    bench listings; and what backfilling every listing would take at that rate."""
    from django.test.utils import override_settings

    from marketplace.listings.indexing import embedding_text
    from marketplace.listings.models import Achievement
    from marketplace.text import embeddings
    from marketplace.text.analysis import is_english

    listings = Achievement.objects.filter(pk__in=ids).prefetch_related("fields__parent")
    texts = [embedding_text(x) for x in listings]
    with override_settings(EMBEDDING_MODEL="e5", EMBEDDING_CACHE_DIR=""):
        embeddings.passages(texts[:1])  # load the model
        t0 = time.perf_counter()
        for text in texts:
            embeddings.passages([text])
        single = len(texts) / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        for i in range(0, len(texts), 16):
            embeddings.passages(texts[i : i + 16])
        batched = len(texts) / (time.perf_counter() - t0)
        # English listings get the English model's embedding as well.
        english = [text for text in texts if is_english(text)]
        t0 = time.perf_counter()
        embeddings.english_passages(english)
        english_rate = len(english) / (time.perf_counter() - t0) if english else 0.0
        costs = []
        for query in ("锂电池热失控预警", "perovskite tandem solar cell", "光刻胶", "battery"):
            embeddings._query.cache_clear()
            t0 = time.perf_counter()
            embeddings.query(query)
            costs.append((time.perf_counter() - t0) * 1000)
    total = sum(published.values())
    print(
        f"embedding (e5, one worker, {len(texts)} listing texts of up to "
        f"{embeddings.MAX_CHARACTERS} characters): {single:.1f} texts/s one by one, "
        f"{batched:.1f} texts/s in batches of 16; backfill of {total} published listings "
        f"about {total / batched / 3600:.1f} h; a search query (uncached) "
        f"{min(costs):.0f}-{max(costs):.0f} ms"
    )
    if english:
        share = len(english) / len(texts)
        print(
            f"embedding (all-MiniLM-L6-v2, one worker, the {len(english)} English texts of "
            f"those): {english_rate:.1f} texts/s; with {share:.0%} of listings in English "
            f"the backfill takes about {total * share / english_rate / 3600:.1f} h more"
        )


def _dsn(settings) -> str:
    db = settings.DATABASES["default"]
    parts = {
        "dbname": db["NAME"],
        "user": db.get("USER"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    if db.get("PASSWORD"):
        parts["password"] = db["PASSWORD"]
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


if __name__ == "__main__":
    main()

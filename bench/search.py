"""How fast are the search list pages on 100k listings, and how close to their SQL?

    make bench-search      (the database of ``make bench-data``; see bench/README.md)

For each case, the real list page is requested through ``django.test.Client`` (URL routing,
middleware, filters, pagination, facet counts and template rendering: the server's whole
work, minus the network). The statements that page ran are captured, and the same
statements are then run bare through a separate psycopg connection: the floor that no page
can beat. Page and SQL runs alternate, so a busy machine slows both alike.

Needs the data of ``manage.py bench_data`` (see bench/README.md). Prints p50/p95 per case,
the ratio page p95 / SQL p95, queries per page, the slowest statements, and one summary line
(its ratio is the worst of the cases whose SQL p95 is at least 20 ms, where the SQL is the
heavy part of the page).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
# Measure what production runs: no debug, cached templates. Harmless values for the rest.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
# The bench listings' embeddings are the stand-in model's (bench_data), so queries are embedded
# by it too, to find their real neighbours; the real model's cost of embedding a query (the
# cache of recent queries aside) is measured by bench/matching.py's embedding line.
os.environ.setdefault("EMBEDDING_MODEL", "terms")

# (name, query-string parameters of the list page)
CASES: list[tuple[str, dict[str, str]]] = [
    ("no filter", {}),
    ("one facet", {"region": "guangdong"}),
    ("Chinese text", {"q": "光刻胶"}),
    ("English text", {"q": "battery"}),
    (
        "text + 3 facets",
        {"q": "储能电池", "field": "energy", "region": "guangdong", "mode": "licence"},
    ),
    ("page 50", {"page": "50"}),
]
# Statements of the session and of the signed-in user are not the search's work.
NOT_SEARCH = ("django_session", "accounts_user", "accounts_membership")
MIN_PUBLISHED = 10_000
# Where the SQL is "the heavy part" of a page (for the summary's ratio).
SQL_HEAVY_MS = 20


def fail(message: str) -> None:
    print(f"bench/search.py: {message}", file=sys.stderr)
    sys.exit(2)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 30 runs is the 29th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Result:
    name: str
    url: str
    queries: int = 0
    page_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    statement_ms: list[list[float]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return percentile(self.page_ms, 95) / max(percentile(self.sql_ms, 95), 1e-6)


def setup() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.utils import OperationalError, ProgrammingError

    from marketplace.listings.models import Achievement, Challenge

    try:
        connection.ensure_connection()
        counts = {m: m.objects.filter(status="published").count() for m in (Achievement, Challenge)}
    except (OperationalError, ProgrammingError) as exc:
        fail(f"cannot read the bench database ({exc}); run migrate and bench_data first")
    if counts[Achievement] < MIN_PUBLISHED:
        fail(
            f"only {counts[Achievement]} published achievements; fill the database with "
            "`manage.py bench_data --achievements 100000 --challenges 20000` first"
        )


def measure_case(client, raw, kind: str, name: str, params: dict, runs: int, warmup: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse(f"search:{kind}_list")
    if params:
        url += "?" + urlencode(params)
    result = Result(name, url)

    for _ in range(warmup):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        fail(f"{url} answered {response.status_code}")
    result.queries = len(captured.captured_queries)
    # The statements exactly as the page sent them (psycopg binds client-side, so the text
    # carries its parameters).
    result.statements = [
        q["sql"] for q in captured.captured_queries if not any(t in q["sql"] for t in NOT_SEARCH)
    ]
    result.statement_ms = [[] for _ in result.statements]

    def run_sql() -> float:
        total = 0.0
        for i, sql in enumerate(result.statements):
            start = time.perf_counter()
            cursor = raw.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
            elapsed = (time.perf_counter() - start) * 1000
            result.statement_ms[i].append(elapsed)
            total += elapsed
        return total

    for _ in range(warmup):
        run_sql()
    result.statement_ms = [[] for _ in result.statements]
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        result.page_ms.append((time.perf_counter() - start) * 1000)
        result.sql_ms.append(run_sql())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per case (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (3)")
    parser.add_argument("--kind", choices=("achievement", "challenge"), default="achievement")
    parser.add_argument("--only", help="run the cases whose name contains this text")
    parser.add_argument("--sql-out", type=Path, help="write each case's statements to this JSON")
    args = parser.parse_args()
    setup()

    import psycopg
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from marketplace.listings.models import Achievement, Challenge

    model = Achievement if args.kind == "achievement" else Challenge
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    total = model.objects.count()
    published = model.objects.filter(status="published").count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"PostgreSQL {version}; {args.kind}s: {total} rows, {published} published; "
        f"page size {settings.LISTINGS_PAGE_SIZE}; {args.runs} runs after {args.warmup} warm-ups; "
        f"{os.cpu_count()} CPUs, load average {load}"
    )

    client = Client()
    results = []
    # The page's connection settings (e.g. the trigram threshold in ``options``), and no
    # server-side prepared statements, as Django's connection: the same statements, planned
    # as often.
    params = connection.get_connection_params()
    conninfo = {k: v for k, v in params.items() if k not in ("cursor_factory", "context")}
    with psycopg.connect(autocommit=True, **conninfo) as raw:
        for name, params in CASES:
            if args.only and args.only not in name:
                continue
            result = measure_case(client, raw, args.kind, name, params, args.runs, args.warmup)
            results.append(result)
            print(
                f"  {name} ({result.url}): page p95 {percentile(result.page_ms, 95):.0f} ms, "
                f"SQL p95 {percentile(result.sql_ms, 95):.0f} ms",
                flush=True,
            )
    if not results:
        fail("no case matches --only")

    print()
    header = (
        f"{'case':<16} {'page p50':>8} {'p95':>6} {'SQL p50':>8} {'p95':>6} {'ratio':>6} "
        f"{'queries':>7}  URL"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.name:<16} {statistics.median(r.page_ms):8.1f} {percentile(r.page_ms, 95):6.1f} "
            f"{statistics.median(r.sql_ms):8.1f} {percentile(r.sql_ms, 95):6.1f} "
            f"{r.ratio:6.2f} {r.queries:7d}  {r.url}"
        )

    slowest = sorted(
        (
            (statistics.median(times), r.name, sql)
            for r in results
            for sql, times in zip(r.statements, r.statement_ms, strict=True)
        ),
        reverse=True,
    )[:3]
    print("\nSlowest statements (median of the bare runs):")
    for ms, name, sql in slowest:
        text = " ".join(sql.split())
        print(f"  {ms:7.1f} ms  [{name}]  {text[:400]}{'…' if len(text) > 400 else ''}")

    if args.sql_out:
        args.sql_out.write_text(
            json.dumps(
                [
                    {
                        "case": r.name,
                        "url": r.url,
                        "statements": [
                            {"sql": sql, "median_ms": round(statistics.median(times), 2)}
                            for sql, times in zip(r.statements, r.statement_ms, strict=True)
                        ],
                    }
                    for r in results
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        print(f"\nStatements written to {args.sql_out}")

    worst_p95 = max(percentile(r.page_ms, 95) for r in results)
    # The ratio target applies where the SQL is the heavy part of the page; a page whose SQL
    # takes 5 ms is mostly its own Python and templates, and its ratio says nothing.
    heavy = [r for r in results if percentile(r.sql_ms, 95) >= SQL_HEAVY_MS] or results
    worst_ratio = max(r.ratio for r in heavy)
    queries = max(r.queries for r in results)
    print(
        f"\nSQL ratio over the cases whose SQL p95 is at least {SQL_HEAVY_MS} ms: "
        + ", ".join(f"{r.name} {r.ratio:.2f}" for r in heavy)
    )
    print()
    summary = f"search worst p95 {worst_p95:.0f} ms, worst sql ratio {worst_ratio:.2f}"
    print(f"{summary}, queries/page {queries}")


if __name__ == "__main__":
    main()

"""Keeps each listing's stored search vector current. Called by the listing services after
every write, and in bulk by ``reindex_listings`` and ``bench_data``.

Weights: title (A) > keywords (B) > summary (C) > description and the names of the
technical fields and of their parents in both languages (D), so that an English query for a
field also finds Chinese listings in it.
On SQLite nothing is stored: search there matches text with LIKE instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from marketplace.listings.models import Achievement, Challenge
from marketplace.text.analysis import index_text
from marketplace.text.postgres import CONFIG, is_postgres, weighted_vector

Listing = Achievement | Challenge


def _parts(listing: Listing) -> dict[str, str]:
    # A sub-field's parent is named too: "Integrated circuits" finds a "Chip design" listing.
    named = {}
    for f in listing.fields.all():
        named[f.pk] = f
        if f.parent is not None:
            named[f.parent.pk] = f.parent
    names = " ".join(f"{f.name_zh} {f.name_en}" for f in named.values())
    return {
        "A": listing.title,
        "B": " ".join(listing.keywords or []),
        "C": listing.summary,
        "D": f"{listing.description} {names}",
    }


def listing_index(listing: Listing) -> None:
    """Recompute one listing's search vector (after its fields were saved)."""
    if not is_postgres():
        return
    listing = type(listing).objects.prefetch_related("fields__parent").get(pk=listing.pk)
    vector = weighted_vector(_parts(listing))
    type(listing).objects.filter(pk=listing.pk).update(search_vector=vector)


def listings_reindex(
    model: type[Listing], ids: Iterable[int] | None = None, batch: int = 500
) -> int:
    """Recompute the vectors of many listings (all of a model when ``ids`` is None)."""
    if not is_postgres():
        return 0
    queryset = model.objects.prefetch_related("fields__parent").order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    table = model._meta.db_table
    sql = (
        f"UPDATE {table} AS t SET search_vector = "  # noqa: S608 - table name from the model
        f"setweight(to_tsvector('{CONFIG}', v.a), 'A') || "
        f"setweight(to_tsvector('{CONFIG}', v.b), 'B') || "
        f"setweight(to_tsvector('{CONFIG}', v.c), 'C') || "
        f"setweight(to_tsvector('{CONFIG}', v.d), 'D') "
        "FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS a, "
        "unnest(%s::text[]) AS b, unnest(%s::text[]) AS c, unnest(%s::text[]) AS d) AS v "
        "WHERE t.id = v.id"
    )
    done = 0
    rows: list[tuple[int, dict[str, str]]] = []

    def flush() -> None:
        nonlocal done
        if not rows:
            return
        columns = [[pk for pk, _ in rows]] + [
            [index_text(parts[w]) for _, parts in rows] for w in "ABCD"
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, columns)
        done += len(rows)
        rows.clear()

    for listing in queryset.iterator(chunk_size=batch):
        rows.append((listing.pk, _parts(listing)))
        if len(rows) >= batch:
            flush()
    flush()
    return done

"""Keeps each listing's stored search vector and facet keys current. Called by the listing
services after every write, and in bulk by ``reindex_listings`` and ``bench_data``.

Weights: title (A) > keywords (B) > summary (C) > description and the names of the
technical fields and of their parents in both languages (D), so that an English query for a
field also finds Chinese listings in it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from marketplace.listings.choices import ListingKind
from marketplace.listings.facets import facet_keys_of
from marketplace.listings.kinds import Listing
from marketplace.text.analysis import index_text
from marketplace.text.postgres import CONFIG, weighted_vector


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


def _facet_keys(listing: Listing) -> list[int]:
    codes = set()
    for f in listing.fields.all():
        codes.add(f.code)
        if f.parent is not None:
            codes.add(f.parent.code)
    if listing.kind == ListingKind.ACHIEVEMENT:
        return facet_keys_of(
            field_codes=codes,
            region=listing.region,
            trl=listing.trl,
            ip_status=listing.ip_status,
            modes=listing.transaction_modes or [],
        )
    return facet_keys_of(
        field_codes=codes,
        region=listing.region,
        trl=listing.min_trl,
        modes=listing.cooperation_modes or [],
    )


def listing_index(listing: Listing) -> None:
    """Recompute one listing's search vector and facet keys (after its fields were saved)."""
    listing = type(listing).objects.prefetch_related("fields__parent").get(pk=listing.pk)
    type(listing).objects.filter(pk=listing.pk).update(
        facet_keys=_facet_keys(listing), search_vector=weighted_vector(_parts(listing))
    )


def listings_reindex(
    model: type[Listing], ids: Iterable[int] | None = None, batch: int = 500
) -> int:
    """Recompute the vectors and facet keys of many listings (all of a model when ``ids`` is
    None)."""
    queryset = model.objects.prefetch_related("fields__parent").order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    table = model._meta.db_table
    sql = (
        f"UPDATE {table} AS t SET search_vector = "  # noqa: S608 - table name from the model
        f"setweight(to_tsvector('{CONFIG}', v.a), 'A') || "
        f"setweight(to_tsvector('{CONFIG}', v.b), 'B') || "
        f"setweight(to_tsvector('{CONFIG}', v.c), 'C') || "
        f"setweight(to_tsvector('{CONFIG}', v.d), 'D'), "
        "facet_keys = v.k::integer[] "
        "FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS a, "
        "unnest(%s::text[]) AS b, unnest(%s::text[]) AS c, unnest(%s::text[]) AS d, "
        "unnest(%s::text[]) AS k) AS v "
        "WHERE t.id = v.id"
    )
    done = 0
    rows: list[tuple[Listing, dict[str, str]]] = []

    def flush() -> None:
        nonlocal done
        if not rows:
            return
        columns = [[x.pk for x, _ in rows]]
        columns += [[index_text(parts[w]) for _, parts in rows] for w in "ABCD"]
        # Arrays of unequal length cannot be unnested side by side: sent as text.
        columns.append(["{" + ",".join(map(str, _facet_keys(x))) + "}" for x, _ in rows])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, columns)
        done += len(rows)
        rows.clear()

    for listing in queryset.iterator(chunk_size=batch):
        rows.append((listing, _parts(listing)))
        if len(rows) >= batch:
            flush()
    flush()
    return done


def facet_counts_rebuild(db=connection) -> None:
    """Recount ``FacetCount`` from the listings. The triggers keep it exact; this is for a
    database restored without them, and for ``reindex_listings``."""
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        # The lock makes concurrent writers wait for the recount instead of interleaving.
        cursor.execute("LOCK TABLE listings_facetcount IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM listings_facetcount")
        for kind in ("achievement", "challenge"):
            cursor.execute(
                "INSERT INTO listings_facetcount (kind, key, total) "  # noqa: S608 - kind is ours
                "SELECT %s, k, count(*) FROM ("
                f"  SELECT unnest(coalesce(facet_keys, '{{}}') || 0) AS k FROM listings_{kind}"
                "  WHERE status = 'published'"
                ") AS s GROUP BY k",
                [kind],
            )

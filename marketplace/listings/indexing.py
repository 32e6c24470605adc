"""Keeps what is derived from each listing current: its search vector, facet keys and
embedding. Called by the listing services after every write, and in bulk by
``reindex_listings``, ``embed_listings`` and ``bench_data``.

Weights: title and its other-language version (A) > keywords (B) > summary and its
other-language version (C) > description and the names of the technical fields and of their
parents in both languages (D), so that an English query for a field also finds Chinese
listings in it.

The embedding (``text.embeddings``) is slow, so it is never computed in the write: the
write stores the hash of the text to embed (``text_hash``) and, when it differs from the
one the stored vector was made from (``embedding_hash``), records the outbox event
``listing.text_changed``. Its handler (``listing_embed``, registered by this room to run in
the background) embeds the text after commit; for a published listing it then records
``listing.embedded``, on which matching runs the listing again with its vector.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, F, Q, When

from marketplace.listings.choices import ListingKind, ListingStatus
from marketplace.listings.facets import facet_keys_of
from marketplace.listings.kinds import Listing, model_for
from marketplace.outbox.services import event_record
from marketplace.text import embeddings
from marketplace.text.analysis import index_text
from marketplace.text.postgres import CONFIG, weighted_vector

# Outbox events: a listing's text changed (to embed); a published listing got its vector.
TEXT_CHANGED = "listing.text_changed"
EMBEDDED = "listing.embedded"


def _parts(listing: Listing) -> dict[str, str]:
    # A sub-field's parent is named too: "Integrated circuits" finds a "Chip design" listing.
    named = {}
    for f in listing.fields.all():
        named[f.pk] = f
        if f.parent is not None:
            named[f.parent.pk] = f.parent
    names = " ".join(f"{f.name_zh} {f.name_en}" for f in named.values())
    return {
        "A": f"{listing.title} {listing.alt_title}",
        "B": " ".join(listing.keywords or []),
        "C": f"{listing.summary} {listing.alt_summary}",
        "D": f"{listing.description} {names}",
    }


def embedding_text(listing: Listing) -> str:
    """What the embedding is made of: titles, keywords, fields, summaries, description."""
    named = {}
    for f in listing.fields.all():
        named[f.pk] = f
        if f.parent is not None:
            named[f.parent.pk] = f.parent
    return embeddings.document_text(
        listing.title,
        listing.alt_title,
        " · ".join(listing.keywords or []),
        " · ".join(f"{f.name_zh} {f.name_en}" for f in named.values()),
        listing.summary,
        listing.alt_summary,
        listing.description,
    )


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
    """Recompute one listing's search vector and facet keys (after its fields were saved),
    and have it embedded again after commit if its text changed."""
    listing = type(listing).objects.prefetch_related("fields__parent").get(pk=listing.pk)
    text_hash = embeddings.text_hash(embedding_text(listing))
    type(listing).objects.filter(pk=listing.pk).update(
        facet_keys=_facet_keys(listing),
        search_vector=weighted_vector(_parts(listing)),
        text_hash=text_hash,
    )
    if text_hash != listing.embedding_hash:
        event_record(kind=TEXT_CHANGED, payload={"kind": listing.kind, "id": listing.pk})


def listing_embed(*, kind: str, listing_id: int) -> bool:
    """Embed a listing's text if its stored vector is missing or stale; True if it did.

    Idempotent: the vector is written only if the text it was made from is still the
    listing's (an edit meanwhile records its own event), and a second run finds it current.
    """
    model = model_for(kind)
    listing = model.objects.prefetch_related("fields__parent").filter(pk=listing_id).first()
    if listing is None:
        return False
    text = embedding_text(listing)
    text_hash = embeddings.text_hash(text)
    if listing.embedding_hash == text_hash and listing.embedding is not None:
        return False
    # Slow: outside any transaction.
    (vector,) = embeddings.passages([text])
    (english,) = embeddings.english_passages([text])
    with transaction.atomic():
        written = (
            model.objects.filter(pk=listing_id, text_hash=text_hash)
            .exclude(embedding_hash=text_hash)
            .update(
                embedding=vector.tolist(),
                embedding_en=None if english is None else english.tolist(),
                embedding_hash=text_hash,
            )
        )
        if written and listing.status == ListingStatus.PUBLISHED:
            event_record(kind=EMBEDDED, payload={"kind": kind, "id": listing_id})
    return bool(written)


def listings_embed_stale(
    model: type[Listing],
    *,
    ids: Iterable[int] | None = None,
    batch: int = 16,
    limit: int | None = None,
    progress=None,
) -> int:
    """Embed, in batches, the listings of a model (or those of ``ids``) whose vector is
    missing or stale, published ones first; returns how many were written. Resumable: each
    batch commits, and a later run picks up what is still stale. ``progress(done)`` after
    each batch."""
    stale = model.objects.filter(Q(embedding__isnull=True) | ~Q(embedding_hash=F("text_hash")))
    if ids is not None:
        stale = stale.filter(pk__in=list(ids))
    stale = stale.order_by(Case(When(status=ListingStatus.PUBLISHED, then=0), default=1), "pk")
    table = model._meta.db_table
    sql = (
        f"UPDATE {table} AS t SET embedding = v.e::vector, embedding_en = v.en::vector, "  # noqa: S608 - table name from the model
        "embedding_hash = v.h, text_hash = v.h FROM (SELECT unnest(%s::bigint[]) AS id, "
        "unnest(%s::text[]) AS e, unnest(%s::text[]) AS en, unnest(%s::text[]) AS h) AS v "
        "WHERE t.id = v.id"
    )
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        listings = list(stale.prefetch_related("fields__parent")[:size])
        if not listings:
            break
        texts = [embedding_text(x) for x in listings]
        vectors = embeddings.passages(texts)
        english = embeddings.english_passages(texts)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    [x.pk for x in listings],
                    [_vector_text(vector) for vector in vectors],
                    [None if vector is None else _vector_text(vector) for vector in english],
                    [embeddings.text_hash(text) for text in texts],
                ],
            )
        done += len(listings)
        if progress:
            progress(done)
    return done


def _vector_text(vector) -> str:
    return "[" + ",".join(f"{v:.6g}" for v in vector) + "]"


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

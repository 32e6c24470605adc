"""The columns that searches read for every hit stay in the row.

0010 set ``toast_tuple_target = 256`` so that the embeddings live out of line; but then
PostgreSQL moved every other column that could go out of line too, down to the title and
the facet keys, and each hit of a text search fetched them from the TOAST table (a facet
count over 5,000 hits read 600k buffers). ``STORAGE MAIN`` keeps a column in the row
(compressed if need be) unless the row would not fit in a page; the rows written before are
rewritten so that their values come back in.
"""

from django.db import migrations

HOT = ("title", "facet_keys", "search_vector")


def _sql(table: str, storage: str) -> list[str]:
    return [f"ALTER TABLE listings_{table} ALTER COLUMN {c} SET STORAGE {storage}" for c in HOT]


def _rewrite(table: str) -> str:
    # A new value (not the same TOAST pointer) for each hot column of each row; NULL stays.
    return (
        f"UPDATE listings_{table} SET title = title || '', "  # noqa: S608 - fixed names
        "facet_keys = CASE WHEN facet_keys IS NOT NULL THEN facet_keys || '{}'::integer[] END, "
        "search_vector = search_vector || ''::tsvector"
    )


class Migration(migrations.Migration):
    dependencies = [("listings", "0011_english_embedding")]

    operations = [
        operation
        for table in ("achievement", "challenge")
        for operation in (
            migrations.RunSQL(_sql(table, "MAIN"), _sql(table, "EXTENDED")),
            migrations.RunSQL(_rewrite(table), migrations.RunSQL.noop),
        )
    ]

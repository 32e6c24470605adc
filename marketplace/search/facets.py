"""The facet counts and the number of results of a search, in one statement.

An option of facet F shows how many results there would be with it ticked as well: the
listings passing every filter except F's own (options combine OR within a facet, AND across
facets). Each listing stores the keys of its options (``listings.facets``), so one pass over
the listings that pass the other filters (full text, organisation, price, dates) counts
everything:

- a listing failing no facet filter is a result, and counts under all its keys;
- a listing failing exactly one facet filter counts under that facet's keys only;
- a listing failing two or more counts nowhere.

The pass is one ``unnest ... GROUP BY`` over the index that covers the keys of published
listings. When nothing but facets is filtered, the counts over all published listings are read from
``FacetCount`` (kept by triggers) instead of counted: with no filter at all, everything;
with one facet filtered, that facet's own options (the other facets and the results are
counted over the listings it lets through).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet

from marketplace.listings.facets import FACET_SHIFT, facet_number
from marketplace.listings.models import FacetCount

RESULT = 0  # the key under which the results themselves are counted


def facet_counts(
    base: QuerySet, selection: dict[str, list[int]], *, only_facets: bool = False
) -> Counter:
    """``{key: count}`` for every facet option, and ``RESULT`` for the number of results.

    ``base`` is the listings passing every filter but the facets'; ``selection`` the facet
    filters in effect, as the keys each accepts (``ListingFilterSet.facet_selection``);
    ``only_facets`` says that ``base`` is all the published listings (no other filter).
    """
    if only_facets and len(selection) <= 1:
        stored = Counter(
            dict(FacetCount.objects.filter(kind=base.model.kind).values_list("key", "total"))
        )
        if not selection:
            return stored
        ((facet, keys),) = selection.items()
        number = facet_number(facet)
        counts = _counted(base.filter(facet_keys__overlap=keys), [])
        for key in [k for k in counts if k >> FACET_SHIFT == number]:
            del counts[key]
        counts.update({k: n for k, n in stored.items() if k >> FACET_SHIFT == number})
        return counts
    return _counted(base, [(facet_number(facet), keys) for facet, keys in selection.items()])


def _counted(base: QuerySet, tests: list[tuple[int, list[int]]]) -> Counter:
    keys_only = base.order_by().values_list("facet_keys", flat=True)
    inner, params = keys_only.query.sql_with_params()
    if not tests:
        # Django's own SQL and parameters inside.
        sql = (
            "SELECT s.key, count(*) FROM (SELECT unnest(coalesce(t.keys, '{}') || 0) AS key "  # noqa: S608
            f"FROM ({inner}) AS t(keys)) AS s GROUP BY s.key"
        )
        return _fetch(sql, params)
    miss = ["NOT (coalesce(t.keys, '{}') && %s::integer[])" for _ in tests]
    failures = " + ".join(f"({m})::int" for m in miss)
    first_failed = " ".join(f"WHEN {m} THEN {n}" for m, (n, _) in zip(miss, tests, strict=True))
    test_params = [keys for _, keys in tests]
    # Django's own SQL inside, placeholders and numbers around it.
    sql = (
        "SELECT s.key, count(*) FROM ("  # noqa: S608
        "  SELECT unnest(coalesce(r.keys, '{}') || 0) AS key, r.failed FROM ("
        f"    SELECT t.keys, {failures} AS failures, CASE {first_failed} ELSE 0 END AS failed"
        f"    FROM ({inner}) AS t(keys)"
        "  ) AS r WHERE r.failures <= 1"
        f") AS s WHERE s.failed = 0 OR s.key >> {FACET_SHIFT} = s.failed "
        "GROUP BY s.key"
    )
    return _fetch(sql, [*test_params, *test_params, *params])


def _fetch(sql: str, params: Iterable) -> Counter:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return Counter(dict(cursor.fetchall()))

"""One way to assert that a page or a read costs the same number of queries however many rows
it shows (no N+1): ``assert_constant_queries``.

    result = assert_constant_queries(
        lambda n: make_conversations(n),          # adds n rows
        lambda: client.get(url),                  # what is measured; its result is kept
        few=2,
        many=8,
    )
    assert len(result.many.context["page"].object_list) == 8

``count_queries`` is the building block, for a test that compares other things (two page
sizes, say) or wants the statements themselves.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connections
from django.test.utils import CaptureQueriesContext

T = TypeVar("T")


@dataclass(frozen=True)
class Counted(Generic[T]):
    """What a call returned, and the SQL statements it ran."""

    result: T
    statements: list[str]

    @property
    def queries(self) -> int:
        return len(self.statements)


@dataclass(frozen=True)
class ConstantQueries(Generic[T]):
    """The number of queries (the same with few and many rows) and what the measured call
    returned with few rows and with many."""

    queries: int
    few: T
    many: T


def count_queries(call: Callable[[], T], *, using: str = "default") -> Counted[T]:
    """Run ``call`` and capture the statements it sends to the database."""
    with CaptureQueriesContext(connections[using]) as captured:
        result = call()
    return Counted(result, [query["sql"] for query in captured.captured_queries])


def assert_constant_queries(
    make_rows: Callable[[int], object],
    request: Callable[[], T],
    *,
    few: int = 2,
    many: int = 12,
    warm: bool = True,
    using: str = "default",
) -> ConstantQueries[T]:
    """Assert that ``request()`` costs as many queries with ``many`` rows as with ``few``.

    ``make_rows(n)`` adds ``n`` rows: it is called with ``few``, then with ``many - few``.
    With ``warm`` (the default), ``request()`` runs once before each count, uncounted: what a
    first call does once (a session, caches, the read marks a first visit writes) is not
    counted as growth. On failure, the message lists the statements that the larger run
    added, numbers masked, so the N+1 shows itself.
    """
    if not 0 < few < many:
        raise ValueError(f"Need 0 < few < many, not few={few}, many={many}")
    make_rows(few)
    if warm:
        request()
    small = count_queries(request, using=using)
    make_rows(many - few)
    if warm:
        request()
    large = count_queries(request, using=using)
    if large.queries != small.queries:
        raise AssertionError(
            f"{large.queries} queries with {many} rows, {small.queries} with {few}; "
            f"the difference:\n{_difference(small.statements, large.statements)}"
        )
    return ConstantQueries(small.queries, small.result, large.result)


def _shape(sql: str) -> str:
    """A statement with its numbers masked: the same query for another row looks the same."""
    return re.sub(r"\b\d+\b", "N", sql)


def _difference(few: list[str], many: list[str]) -> str:
    extra = Counter(map(_shape, many))
    extra.subtract(Counter(map(_shape, few)))
    lines = [f"{n:+d} × {sql}" for sql, n in extra.most_common() if n]
    return "\n".join(lines[:10]) or "(the same statements, in another number)"

"""The query-count helper catches an N+1 and lets a constant cost pass."""

from __future__ import annotations

import pytest

from accounts.models import Organization
from tests import factories
from tests.support.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


def _make(n: int) -> None:
    for _ in range(n):
        factories.make_user(org=factories.make_org())


def test_a_constant_cost_passes_and_returns_both_results():
    def names() -> list[str]:
        return [o.name for o in Organization.objects.order_by("pk")]

    result = assert_constant_queries(_make, names, few=1, many=3)
    assert result.queries == 1
    assert (len(result.few), len(result.many)) == (1, 3)


def test_an_n_plus_one_fails_and_shows_the_statement_that_grew():
    def one_query_per_row() -> list[int]:
        return [o.memberships.count() for o in Organization.objects.order_by("pk")]

    with pytest.raises(AssertionError, match=r"4 queries with 3 rows, 2 with 1") as failed:
        assert_constant_queries(_make, one_query_per_row, few=1, many=3)
    assert '+2 × SELECT COUNT(*) AS "__count" FROM "accounts_membership"' in str(failed.value)


def test_count_queries_keeps_the_result_and_the_statements():
    counted = count_queries(lambda: Organization.objects.count())
    assert counted.result == 0 and counted.queries == 1
    assert "COUNT" in counted.statements[0]


@pytest.mark.parametrize(("few", "many"), [(0, 3), (3, 3), (4, 2)])
def test_few_must_be_fewer_than_many(few, many):
    with pytest.raises(ValueError, match="few < many"):
        assert_constant_queries(_make, list, few=few, many=many)

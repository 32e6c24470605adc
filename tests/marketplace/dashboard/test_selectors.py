"""The figures against the known data set of ``conftest``: exact numbers per region and in
all regions, period edges in local time, and statements that do not grow with the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from marketplace.dashboard.selectors import FIGURES, Period, Rate, dashboard_figures
from tests.support.queries import assert_constant_queries

from .support import achievement, grow, org

pytestmark = pytest.mark.django_db

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def table(key: str, region: str | None, period: Period = YEAR) -> dict[str, list]:
    """A figure's table as {row label: cells}, the total row under "TOTAL"."""
    figure = FIGURES[key](region, period)
    rows = {row.label: row.cells for row in figure.table.rows}
    if figure.table.total:
        rows["TOTAL"] = figure.table.total.cells
    return rows


# Listing columns: draft, pending, published, rejected, archived, expired, total.


def test_achievements_by_top_level_field_and_status(dataset):
    assert table("achievements", "guangdong") == {
        "Integrated circuits": [0, 0, 2, 0, 0, 0, 2],
        "New energy": [1, 0, 1, 0, 0, 0, 2],
        "Artificial intelligence": [0, 0, 0, 1, 0, 0, 1],
        # A2 is in two fields: the rows add up to 5, the listings are 4.
        "TOTAL": [1, 0, 2, 1, 0, 0, 4],
    }
    figure = FIGURES["achievements"]("guangdong", YEAR)
    assert [row.label for row in figure.table.rows] == [
        "Integrated circuits",
        "New energy",
        "Artificial intelligence",
    ]
    assert [row.code for row in figure.table.rows] == ["ic", "energy", "ai"]
    assert figure.notes  # says why the rows add up to more than the total


def test_achievements_of_all_regions(dataset):
    assert table("achievements", None) == {
        "Integrated circuits": [0, 0, 3, 0, 0, 0, 3],
        "New energy": [1, 0, 1, 0, 0, 0, 2],
        "Artificial intelligence": [0, 0, 0, 1, 0, 0, 1],
        "New materials": [0, 0, 1, 0, 0, 0, 1],
        "TOTAL": [1, 0, 4, 1, 0, 0, 6],
    }


def test_challenges_by_field_and_status(dataset):
    assert table("challenges", "guangdong") == {
        "Integrated circuits": [0, 0, 1, 0, 0, 0, 1],
        "New energy": [0, 0, 0, 0, 0, 1, 1],
        "TOTAL": [0, 0, 1, 0, 0, 1, 2],
    }
    assert not FIGURES["challenges"]("guangdong", YEAR).notes
    assert table("challenges", None)["TOTAL"] == [0, 0, 2, 0, 0, 1, 3]


def test_listings_without_a_field_have_their_row(dataset):
    achievement(org("university", "hainan"), "published", [], "2025-05-05 10:00")
    assert table("achievements", "hainan") == {
        "No technical field": [0, 0, 1, 0, 0, 0, 1],
        "TOTAL": [0, 0, 1, 0, 0, 0, 1],
    }


def test_the_period_is_in_local_time_both_days_included(dataset):
    # The rejected achievement at 2025-12-31 23:30 is in (it is 15:30 UTC), the one at
    # 2026-01-01 00:10 (16:10 UTC on the 31st) is not; the one at 2024-12-31 23:59 is not.
    assert table("achievements", "guangdong", Period(date(2025, 12, 31), date(2025, 12, 31))) == {
        "Artificial intelligence": [0, 0, 0, 1, 0, 0, 1],
        "TOTAL": [0, 0, 0, 1, 0, 0, 1],
    }
    assert table("achievements", "guangdong", Period(date(2026, 1, 1), date(2026, 1, 1)))[
        "TOTAL"
    ] == [0, 1, 0, 0, 0, 0, 1]


def test_matches_engine_and_broker(dataset):
    # M3 counts for Guangdong through its challenge and for Zhejiang through its achievement.
    assert table("matches", "guangdong") == {"Matching engine": [2], "Broker": [1], "TOTAL": [3]}
    assert table("matches", "zhejiang") == {"Matching engine": [2], "Broker": [0], "TOTAL": [2]}
    assert table("matches", None) == {"Matching engine": [3], "Broker": [1], "TOTAL": [4]}


def test_interests_by_status(dataset):
    assert table("interests", "guangdong") == {
        "Waiting for an answer": [1],
        "Accepted": [5],
        "Declined": [1],
        "TOTAL": [7],
    }
    assert table("interests", "zhejiang") == {
        "Waiting for an answer": [0],
        "Accepted": [1],
        "Declined": [0],
        "TOTAL": [1],
    }
    assert table("interests", None)["TOTAL"] == [8]


def test_conversations_by_month(dataset):
    rows = table("conversations", "guangdong")
    assert len(rows) == 13  # twelve months and the total
    # V8 opened 2025-03-01 00:30 local (still February in UTC) counts in March.
    assert rows["2025-03"] == [2, 1, 3]
    assert rows["2025-04"] == [1, 0, 1]
    assert rows["2025-11"] == [0, 1, 1]
    assert rows["2025-02"] == [0, 0, 0]
    assert rows["TOTAL"] == [3, 2, 5]
    assert table("conversations", None)["2025-06"] == [1, 0, 1]
    assert table("conversations", None)["TOTAL"] == [4, 2, 6]


def test_deals_by_stage(dataset):
    assert table("deals", "guangdong") == {
        "Contacted": [0],
        "Evaluating": [0],
        "NDA signed": [0],
        "Negotiating": [1],
        "Contract signed": [3],
        "Closed, lost": [1],
        "TOTAL": [5],
    }
    assert table("deals", None)["Contract signed"] == [4]


def test_funnel_from_match_to_contract(dataset):
    figure = FIGURES["funnel"]("guangdong", YEAR)
    assert [row.code for row in figure.table.rows] == [
        "matches",
        "interest",
        "conversation",
        "nda",
        "contract",
    ]
    assert [row.cells for row in figure.table.rows] == [
        [3, Rate(None), Rate(Decimal("100.0"))],
        # M2 has two interests (I2, I3): it counts once.
        [3, Rate(Decimal("100.0")), Rate(Decimal("100.0"))],
        # M3's only interest was declined.
        [2, Rate(Decimal("66.7")), Rate(Decimal("66.7"))],
        [2, Rate(Decimal("100.0")), Rate(Decimal("66.7"))],
        [1, Rate(Decimal("50.0")), Rate(Decimal("33.3"))],
    ]
    assert [row.cells[0] for row in FIGURES["funnel"](None, YEAR).table.rows] == [4, 4, 3, 3, 2]


def test_funnel_of_nothing_has_no_rates():
    figure = FIGURES["funnel"]("guangdong", YEAR)
    assert [row.cells for row in figure.table.rows][1] == [0, Rate(None), Rate(None)]


def test_contracts_by_month_of_signing_per_currency(dataset):
    figure = FIGURES["contracts"]("guangdong", YEAR)
    assert figure.table.columns == ["Month", "Contracts", "Value (CNY)", "Value (USD)"]
    rows = table("contracts", "guangdong")
    # K7's deal is from 2024 but it was signed in February 2025; K9 (2026) is out.
    assert rows["2025-02"] == [1, Decimal("200000.00"), Decimal("0.00")]
    assert rows["2025-03"] == [2, Decimal("1000000.00"), Decimal("40000.00")]
    assert rows["2025-07"] == [0, Decimal("0.00"), Decimal("0.00")]
    assert rows["TOTAL"] == [3, Decimal("1200000.00"), Decimal("40000.00")]
    assert figure.notes  # values in two currencies are not added up
    assert table("contracts", None)["TOTAL"] == [4, Decimal("1200000.00"), Decimal("90000.00")]


def test_contracts_in_yuan_only_have_one_value_column_and_no_note(dataset):
    figure = FIGURES["contracts"]("guangdong", Period(date(2025, 2, 1), date(2025, 2, 28)))
    assert figure.table.columns == ["Month", "Contracts", "Value (CNY)"]
    assert figure.table.total.cells == [1, Decimal("200000.00")]
    assert not figure.notes


def test_a_region_without_data_has_zeros():
    figures = {f.key: f for f in dashboard_figures("xizang", YEAR)}
    assert figures["matches"].table.total.cells == [0]
    assert figures["achievements"].table.rows == []
    assert figures["contracts"].table.total.cells == [0, Decimal("0.00")]


@pytest.mark.parametrize("region", ["guangdong", None])
def test_statements_do_not_grow_with_the_data(region):
    figures = assert_constant_queries(
        grow, lambda: list(dashboard_figures(region, YEAR)), few=3, many=30, warm=False
    )
    assert FIGURES["matches"](region, YEAR).table.total.cells == [30]
    # 12 for the first eight figures; the contracts by type (1), by field and by broker
    # (2 each: the sums, then the names of the fields or brokers that occur).
    assert figures.queries <= 17

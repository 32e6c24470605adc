"""evaluate_matching on a tiny hand-made set, and the metric arithmetic by hand."""

from __future__ import annotations

import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from marketplace.listings.models import Achievement
from marketplace.search.evaluation import evaluated_challenges, judged, metrics
from tests import factories

TINY = Path(__file__).with_name("tiny-set.json")


def test_precision_recall_and_ndcg_by_hand():
    grades = {"A": 3, "B": 2, "C": 1, "D": 2}
    m = metrics(["C", "A", "X", "B"], grades)
    assert m.p5 == pytest.approx(2 / 5)  # A and B are relevant (≥ 2)
    assert m.r10 == pytest.approx(2 / 3)  # of A, B, D
    dcg = 1 / math.log2(2) + 7 / math.log2(3) + 0 + 3 / math.log2(5)
    ideal = 7 / math.log2(2) + 3 / math.log2(3) + 3 / math.log2(4) + 1 / math.log2(5)
    assert m.ndcg10 == pytest.approx(dcg / ideal)


def test_only_challenges_with_a_relevant_achievement_count():
    grades = judged(
        [
            {"challenge": "C1", "achievement": "A", "relevance": 2},
            {"challenge": "C2", "achievement": "A", "relevance": 1},
        ]
    )
    assert evaluated_challenges(grades) == ["C1"]


@pytest.mark.django_db
def test_the_command_loads_ranks_with_the_engine_and_prints_the_overall_line():
    out = StringIO()
    call_command("evaluate_matching", str(TINY), "--baseline", stdout=out)
    lines = out.getvalue().strip().splitlines()
    # C1: A1 (3) first; A3 (1) may follow. C2: A2 (2) first. C3 has no relevant one.
    assert lines[-1] == "overall nDCG@10 1.000 P@5 0.200 R@10 1.000 challenges 2"
    assert any(line.startswith("baseline BM25 nDCG@10") for line in lines)
    assert [line.split()[0] for line in lines[1:3]] == ["C1", "C2"]
    # Rolled back: the database is empty again.
    assert not Achievement.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_database_that_is_not_empty(university):
    factories.make_achievement(university)
    with pytest.raises(CommandError, match="not empty"):
        call_command("evaluate_matching", str(TINY), stdout=StringIO())

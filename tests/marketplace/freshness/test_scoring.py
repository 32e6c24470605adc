"""The freshness score, part by part (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from marketplace.freshness.scoring import FreshnessInputs, freshness_score

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _inputs(**kw) -> FreshnessInputs:
    data = {
        "fresh_since": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=300),
        "interests": 0,
        "last_answer": None,
        "overdue": False,
        "on_time_percent": None,
    }
    data.update(kw)
    return FreshnessInputs(**data)


def _score(**kw) -> int:
    return freshness_score(_inputs(**kw), now=NOW)


def test_a_new_listing_nobody_asked_about_scores_85():
    # Age 50, answers 10 (no sign either way), responsiveness 10 (no record), expiry 15.
    assert _score() == 85


def test_a_listing_answered_recently_by_a_punctual_organisation_scores_100():
    assert _score(interests=2, last_answer=NOW - timedelta(days=3), on_time_percent=100) == 100


def test_age_counts_fully_for_30_days_then_decays_to_nothing_at_180():
    assert _score(fresh_since=NOW - timedelta(days=30)) == 85
    assert _score(fresh_since=NOW - timedelta(days=105)) == 60  # half of the 50
    assert _score(fresh_since=NOW - timedelta(days=180)) == 35
    assert _score(fresh_since=NOW - timedelta(days=400)) == 35


def test_an_interest_waiting_past_its_answer_date_takes_the_answer_points():
    answered = _score(interests=1, last_answer=NOW - timedelta(days=10))
    overdue = _score(interests=2, last_answer=NOW - timedelta(days=10), overdue=True)
    assert answered - overdue == 20


def test_an_old_last_answer_counts_less():
    recent = _score(interests=1, last_answer=NOW - timedelta(days=10))
    old = _score(interests=1, last_answer=NOW - timedelta(days=365))
    assert recent - old == 20


def test_responsiveness_is_the_share_answered_in_time():
    assert _score(on_time_percent=100) - _score(on_time_percent=0) == 15


def test_the_last_60_days_before_expiry_take_the_expiry_points_away():
    assert _score(expires_at=NOW + timedelta(days=60)) == 85
    assert _score(expires_at=NOW + timedelta(days=30)) == 78
    assert _score(expires_at=NOW - timedelta(days=1)) == 70


def test_half_a_year_unconfirmed_without_answers_is_below_the_default_threshold():
    assert _score(fresh_since=NOW - timedelta(days=200), on_time_percent=0) < 40

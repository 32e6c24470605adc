"""The freshness score of a listing, 0-100: is it still worth an enquiry?

Four parts, each from one fact about the listing (``FreshnessInputs``):

- age (50 points): days since it was published or last confirmed by its owner; full for
  the first 30 days, none after 180 (half a year unconfirmed is what goes stale);
- answers (20): the owner's last answer to an interest on this listing; none when an
  interest waits past its answer date, full when the last answer is under 90 days old,
  decaying to none at a year; 10 (no sign either way) when nobody has asked yet;
- responsiveness (15): the share of interests the organisation answered in time over the
  last year (``deals.selectors.organization_responsiveness``); 10 without a record;
- expiry (15): full with 60 days or more to go, none at the expiry date.

Pure: no database, so the tests pin each part and the settings' threshold decides "stale".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

AGE_POINTS, AGE_FULL_DAYS, AGE_NONE_DAYS = 50, 30, 180
ANSWER_POINTS, ANSWER_FULL_DAYS, ANSWER_NONE_DAYS, ANSWER_NO_INTEREST = 20, 90, 365, 10
RESPONSIVENESS_POINTS, RESPONSIVENESS_UNKNOWN = 15, 10
EXPIRY_POINTS, EXPIRY_FULL_DAYS = 15, 60


@dataclass(frozen=True)
class FreshnessInputs:
    fresh_since: datetime | None  # the later of publication and last confirmation
    expires_at: datetime | None
    interests: int  # interests received by the listing, ever
    last_answer: datetime | None  # the owner's latest accept or decline
    overdue: bool  # an interest waits past its answer date
    on_time_percent: int | None  # the organisation's, None without a record


def _decay(days: float, full: int, none: int) -> float:
    """1 up to ``full`` days, 0 from ``none`` days, linear in between."""
    if days <= full:
        return 1.0
    if days >= none:
        return 0.0
    return (none - days) / (none - full)


def _days(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 86400


def freshness_score(inputs: FreshnessInputs, *, now: datetime) -> int:
    age = (
        _decay(_days(now, inputs.fresh_since), AGE_FULL_DAYS, AGE_NONE_DAYS)
        if inputs.fresh_since
        else 0.0
    )
    if inputs.overdue:
        answers = 0.0
    elif inputs.last_answer is not None:
        answers = ANSWER_POINTS * _decay(
            _days(now, inputs.last_answer), ANSWER_FULL_DAYS, ANSWER_NONE_DAYS
        )
    elif inputs.interests:
        answers = ANSWER_POINTS  # asked, and still within the time to answer
    else:
        answers = ANSWER_NO_INTEREST
    if inputs.on_time_percent is None:
        responsiveness = RESPONSIVENESS_UNKNOWN
    else:
        responsiveness = RESPONSIVENESS_POINTS * inputs.on_time_percent / 100
    if inputs.expires_at is None:
        expiry = EXPIRY_POINTS  # nothing lapses
    else:
        left = _days(inputs.expires_at, now)
        expiry = EXPIRY_POINTS * max(0.0, min(1.0, left / EXPIRY_FULL_DAYS))
    return round(AGE_POINTS * age + answers + responsiveness + expiry)

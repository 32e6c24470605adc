"""The feedback duty's clock: an expression of interest must be answered within a number of
working days (``settings.INTEREST_ANSWER_WORKING_DAYS``, 10 by default, as the 2025 national
patent-transfer action asks for timely feedback). Working days are Monday to Friday in the
site's time zone; public holidays are not known to the site, so a deadline over a holiday
week falls a little early rather than late.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment ``days`` working days after ``start``, at the same local time of day; a
    start on a weekend counts from the Monday after."""
    moment = timezone.localtime(start)
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    added = 0
    while added < days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            added += 1
    return moment


def answer_due(sent_at: datetime) -> datetime:
    return add_working_days(sent_at, settings.INTEREST_ANSWER_WORKING_DAYS)


def remind_from(due: datetime) -> datetime:
    """When the owners are reminded of an unanswered interest: a number of working days
    before it is due (``settings.INTEREST_REMIND_WORKING_DAYS``), never before it was sent."""
    moment = timezone.localtime(due)
    left = settings.INTEREST_REMIND_WORKING_DAYS
    while left > 0:
        moment -= timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment

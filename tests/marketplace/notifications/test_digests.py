"""Daily and weekly digests: one email per user and period listing what waited, made once
however often the task runs; preferences decide who waits for which digest."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from marketplace.notifications.choices import Frequency, NotificationKind
from marketplace.notifications.models import Delivery, Notification, Preference
from marketplace.notifications.services import (
    digest_period_start,
    digests_send,
    preferences_update,
)
from tests import factories
from tests.marketplace.notifications.support import tell

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026 (Monday 2 March … Sunday 8 March), Shanghai time."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def _waiting(user, frequency, *, title: str, created: datetime, kind=NotificationKind.MATCH_FOUND):
    Preference.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})
    (notification,) = tell([user], title=title, kind=kind)
    Notification.objects.filter(pk=notification.pk).update(created_at=created)
    return notification


@pytest.mark.parametrize(
    ("frequency", "now", "start"),
    [
        (Frequency.DAILY, at(4, 9), at(4, 8)),
        (Frequency.DAILY, at(4, 7, 59), at(3, 8)),  # before the hour: yesterday's
        (Frequency.WEEKLY, at(4, 9), at(2, 8)),  # Wednesday: this Monday's
        (Frequency.WEEKLY, at(2, 7), at(2 - 7 + 28, 8).replace(month=2)),  # last Monday
    ],
)
def test_period_start(settings, frequency, now, start):
    settings.NOTIFY_DIGEST_HOUR = 8
    assert digest_period_start(frequency=frequency, now=now) == start


def test_one_daily_email_per_user_listing_what_waited_and_only_once(
    settings, uni_user, ent_user, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFY_DIGEST_HOUR = 8
    first = _waiting(uni_user, Frequency.DAILY, title="Wafer match", created=at(3, 10))
    second = _waiting(uni_user, Frequency.DAILY, title="Resist match", created=at(4, 7))
    late = _waiting(uni_user, Frequency.DAILY, title="After eight", created=at(4, 8, 30))
    _waiting(ent_user, Frequency.DAILY, title="Theirs", created=at(4, 1))
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency=Frequency.DAILY, now=at(4, 9)) == 2
    mine = [m for m in mailoutbox if m.to == [uni_user.email]]
    assert len(mine) == 1 and len(mailoutbox) == 2
    assert mine[0].subject == "Your daily Keqiao digest: 2 notifications"
    assert "Wafer match" in mine[0].body and "Resist match" in mine[0].body
    assert "After eight" not in mine[0].body
    assert reverse("notifications:open", args=[first.pk]) in mine[0].body
    digest = Delivery.objects.get(key=f"digest:daily:{uni_user.pk}:2026-03-04")
    assert set(digest.notifications.all()) == {first, second}

    # The task runs every hour: the same period's digest is not made again.
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency=Frequency.DAILY, now=at(4, 10)) == 0
        assert digests_send(frequency=Frequency.DAILY, now=at(5, 7)) == 0
    assert len(mailoutbox) == 2

    # The next day's digest carries what came later.
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency=Frequency.DAILY, now=at(5, 8)) == 1
    assert "After eight" in mailoutbox[-1].body
    late.refresh_from_db()
    assert late.delivery.key == f"digest:daily:{uni_user.pk}:2026-03-05"


def test_weekly_digest_collects_the_week(
    settings, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFY_DIGEST_HOUR = 8
    for day in (3, 5, 7):  # Tuesday, Thursday, Saturday
        _waiting(uni_user, Frequency.WEEKLY, title=f"Day {day}", created=at(day, 12))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency=Frequency.WEEKLY, now=at(8, 23)) == 0  # Sunday: not yet
        assert digests_send(frequency=Frequency.DAILY, now=at(9, 9)) == 0  # not a daily one
        assert digests_send(frequency=Frequency.WEEKLY, now=at(9, 9)) == 1
        assert digests_send(frequency=Frequency.WEEKLY, now=at(11, 9)) == 0
    (mail,) = mailoutbox
    assert mail.subject == "Your weekly Keqiao digest: 3 notifications"
    assert all(f"Day {day}" in mail.body for day in (3, 5, 7))
    assert Delivery.objects.filter(key=f"digest:weekly:{uni_user.pk}:2026-03-09").exists()


def test_off_never_emails_and_a_change_of_mind_moves_the_waiting_ones(
    settings, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFY_DIGEST_HOUR = 8
    off = _waiting(uni_user, Frequency.OFF, title="Quiet", created=at(3, 9), kind="moderation")
    daily = _waiting(uni_user, Frequency.DAILY, title="Loud", created=at(3, 9))
    preferences_update(user=uni_user, frequencies={NotificationKind.MATCH_FOUND: Frequency.WEEKLY})
    daily.refresh_from_db()
    assert daily.frequency == Frequency.WEEKLY
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency=Frequency.DAILY, now=at(4, 9)) == 0
        assert digests_send(frequency=Frequency.WEEKLY, now=at(9, 9)) == 1
    assert "Loud" in mailoutbox[0].body and "Quiet" not in mailoutbox[0].body
    off.refresh_from_db()
    assert off.delivery is None


def test_the_digest_is_in_the_recipients_language(
    settings, university, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFY_DIGEST_HOUR = 8
    zh = factories.make_user(org=university, language="zh-hans")
    _waiting(zh, Frequency.DAILY, title="光刻", created=at(3, 9))
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(frequency=Frequency.DAILY, now=at(4, 9))
    assert mailoutbox[0].subject == "科桥每日摘要：1 条通知"
    assert "事件: 光刻" in mailoutbox[0].body


def test_a_long_digest_lists_fifty_and_links_to_the_rest(
    settings, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFY_DIGEST_HOUR = 8
    Preference.objects.create(user=uni_user, kind="match_found", frequency=Frequency.DAILY)
    for i in range(53):
        tell([uni_user], title=f"item-{i:02d}")
    Notification.objects.update(created_at=at(3, 9))
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(frequency=Frequency.DAILY, now=at(4, 9))
    body = mailoutbox[0].body
    assert body.count("item-") == 50
    assert "…and 3 more." in body
    assert Notification.objects.filter(delivery__isnull=True).count() == 0

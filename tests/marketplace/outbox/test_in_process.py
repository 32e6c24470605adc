"""Without a broker, a held retry is run in-process by a timer when it is due. The tests fire
the (fake) timer themselves and read a fixed clock; nothing waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from marketplace.outbox import handlers
from marketplace.outbox.in_process import InProcessRelay
from marketplace.outbox.models import Event
from marketplace.outbox.services import event_record
from tests.marketplace.outbox.support import FakeTimers, in_process_retries

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def timers(settings) -> FakeTimers:
    settings.OUTBOX_IN_PROCESS_RELAY = True
    return FakeTimers()


def _relay_with(timers: FakeTimers, *, next_due=None, relay=None) -> tuple[InProcessRelay, list]:
    runs: list[int] = []
    relayed = InProcessRelay(
        relay=relay or (lambda: runs.append(1)),
        next_due=next_due or (lambda: None),
        timer=timers,
        now=lambda: NOON,
    )
    return relayed, runs


def test_one_timer_waits_for_the_earliest_retry(timers):
    relayed, _ = _relay_with(timers)
    assert relayed.wake(after=30) is True
    relayed.wake(after=60)  # later: the run at 30 s looks again anyway
    assert [t.delay for t in timers.waiting] == [30]
    relayed.wake(after=10)  # sooner: replaces it
    assert [t.delay for t in timers.waiting] == [10]
    assert timers.made[0].cancelled


def test_a_run_relays_and_waits_again_for_what_is_next_due(timers):
    due = [NOON + timedelta(seconds=45), None]
    relayed, runs = _relay_with(timers, next_due=lambda: due.pop(0))
    relayed.wake(after=30)
    timers.waiting[0].fire()
    assert runs == [1]
    assert [t.delay for t in timers.waiting] == [45]
    timers.waiting[0].fire()
    assert runs == [1, 1]
    assert timers.waiting == []  # nothing pending any more


def test_a_retry_due_now_waits_a_second_so_the_timer_never_spins(timers):
    relayed, _ = _relay_with(timers, next_due=lambda: NOON - timedelta(seconds=5))
    relayed.wake(after=0)
    assert timers.made[0].delay == 1.0
    timers.made[0].fire()
    assert timers.made[1].delay == 1.0


def test_a_replaced_timer_that_fires_anyway_leaves_the_new_one_in_charge(timers):
    relayed, _ = _relay_with(timers)
    relayed.wake(after=30)
    relayed.wake(after=10)
    timers.made[0].fire()  # cancelled too late: it runs
    relayed.wake(after=20)
    assert len(timers.made) == 2  # the 10 s timer still waits, so no third one


def test_a_failing_run_looks_again_in_a_minute(timers, caplog):
    def relay() -> None:
        raise ConnectionError("database restarting")

    relayed, _ = _relay_with(timers, relay=relay)
    relayed.wake(after=30)
    timers.made[0].fire()
    assert "in-process relay failed" in caplog.text
    assert timers.made[1].delay == 60


def test_switched_off_it_sets_no_timer(timers, settings):
    settings.OUTBOX_IN_PROCESS_RELAY = False
    relayed, _ = _relay_with(timers)
    assert relayed.wake(after=30) is False
    assert timers.made == []


# --- In the process, for real ----------------------------------------------------------------


@pytest.mark.django_db
def test_in_process_a_failed_event_is_handled_again_when_due(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    timers = in_process_retries(settings, monkeypatch)
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 60
    seen = []

    def handler(payload: dict) -> None:
        if not seen:
            seen.append("failed")
            raise ConnectionError("index down")
        seen.append(payload["id"])

    monkeypatch.setattr(handlers, "_handlers", {"test.kind": [handler]})
    with django_capture_on_commit_callbacks(execute=True):
        event = event_record(kind="test.kind", payload={"id": 4})
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("pending", 1)
    (timer,) = timers.waiting
    assert timer.delay == pytest.approx(60, abs=2)

    Event.objects.filter(pk=event.pk).update(claimed_until=timezone.now())  # a minute passes
    timer.fire()
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("done", 2)
    assert seen == ["failed", 4]
    assert timers.waiting == []  # nothing pending: no further timer

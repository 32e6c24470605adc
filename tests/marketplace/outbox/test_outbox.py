"""The outbox: events exist exactly when their transaction commits, are handled after
commit, retried when a handler fails, and never handled twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.outbox import handlers
from marketplace.outbox.models import Event
from marketplace.outbox.services import event_handle, event_record, events_pending
from marketplace.outbox.tasks import relay

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch):
    """A test handler for the kind ``test.kind`` that records the payloads it saw."""
    seen: list[dict] = []
    monkeypatch.setattr(handlers, "_handlers", {"test.kind": [seen.append]})
    return seen


def test_event_is_dispatched_after_commit(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = event_record(kind="test.kind", payload={"id": 7})
        assert calls == []  # nothing runs before the commit
    assert calls == [{"id": 7}]
    event.refresh_from_db()
    assert event.handled_at is not None
    assert event.attempts == 1


def test_rolled_back_event_never_exists_nor_runs(calls, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        event_record(kind="test.kind", payload={"id": 1})
        raise RuntimeError("the change failed")
    assert calls == []
    assert not Event.objects.exists()


def test_handling_twice_runs_handlers_once(calls):
    event = Event.objects.create(kind="test.kind", payload={"id": 3})
    assert event_handle(event_id=event.pk) is True
    assert event_handle(event_id=event.pk) is False
    assert calls == [{"id": 3}]


def test_a_claimed_event_is_left_to_its_worker(calls):
    event = Event.objects.create(
        kind="test.kind", payload={}, claimed_until=timezone.now() + timedelta(minutes=1)
    )
    assert event_handle(event_id=event.pk) is False
    assert calls == []


def test_an_expired_claim_is_taken_over(calls):
    """A worker that died mid-handling leaves a claim that runs out; another takes it."""
    event = Event.objects.create(
        kind="test.kind", payload={}, claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert event_handle(event_id=event.pk) is True
    assert len(calls) == 1


def test_failing_handler_leaves_the_event_for_a_retry(monkeypatch, settings):
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 0  # no backoff: the retry may come at once
    attempts = []

    def flaky(payload):
        attempts.append(payload)
        if len(attempts) == 1:
            raise ConnectionError("mail server down")

    monkeypatch.setattr(handlers, "_handlers", {"test.kind": [flaky]})
    event = Event.objects.create(kind="test.kind", payload={"id": 5})
    with pytest.raises(ConnectionError):
        event_handle(event_id=event.pk)
    event.refresh_from_db()
    assert event.handled_at is None and event.claimed_until is None
    assert "mail server down" in event.last_error
    assert event_handle(event_id=event.pk) is True
    event.refresh_from_db()
    assert event.handled_at is not None and event.attempts == 2


def test_relay_redispatches_only_old_unhandled_events(calls):
    old = Event.objects.create(kind="test.kind", payload={"id": "old"})
    Event.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    Event.objects.create(kind="test.kind", payload={"id": "new"})  # its own dispatch is due
    done = Event.objects.create(
        kind="test.kind", payload={"id": "done"}, status="done", handled_at=timezone.now()
    )
    Event.objects.filter(pk=done.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert events_pending() == [old.pk]
    assert relay(["event"]) == 1  # eager in tests: the dispatch runs at once
    assert calls == [{"id": "old"}]
    assert events_pending() == []

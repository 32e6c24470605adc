"""The rules every kind of durable work shares (events, deliveries): one claimant wins,
failed tries back off and end failed, abandoned last tries are failed, one relay queues every
kind, and admin runs failed ones again."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.notifications.choices import DeliveryStatus
from marketplace.notifications.models import Delivery
from marketplace.notifications.services import DELIVERIES
from marketplace.outbox import handlers, kinds
from marketplace.outbox.choices import EventStatus
from marketplace.outbox.models import Event
from marketplace.outbox.services import (
    ABANDONED,
    EVENTS,
    event_handle,
    events_pending,
    work_abandoned_fail,
    work_claim,
    work_due,
    work_next_due,
    work_retry_delay,
)
from marketplace.outbox.tasks import event_dispatch, relay

pytestmark = pytest.mark.django_db


def _ago(seconds: int):
    return timezone.now() - timedelta(seconds=seconds)


def _event(**kw) -> Event:
    return Event.objects.create(**{"kind": "test.kind", "payload": {"id": 1}, **kw})


def _delivery(**kw) -> Delivery:
    data = {"key": "notification:1", "to": "a@example.org", "subject": "Hi", "body": "Body"}
    return Delivery.objects.create(**{**data, **kw})


MAKERS = {"event": (EVENTS, _event), "delivery": (DELIVERIES, _delivery)}


@pytest.fixture
def calls(monkeypatch):
    """A test handler for the kind ``test.kind`` that records the payloads it saw."""
    seen: list[dict] = []
    monkeypatch.setattr(handlers, "_handlers", {"test.kind": [seen.append]})
    return seen


@pytest.fixture
def broken(monkeypatch, settings):
    """A handler for ``test.kind`` that always fails; three attempts, no backoff."""
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 0
    tries: list[dict] = []

    def handler(payload: dict) -> None:
        tries.append(payload)
        raise ConnectionError("search index unreachable")

    monkeypatch.setattr(handlers, "_handlers", {"test.kind": [handler]})
    return tries


# --- The claim -------------------------------------------------------------------------------


# Committed rows, as the real-worker tests have, and restored the way they expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("name", ["event", "delivery"])
def test_of_two_claimants_racing_for_a_row_one_wins(name):
    """The second claimant's UPDATE waits for the first one's row lock, then finds the row
    held and takes nothing."""
    kind, make = MAKERS[name]
    row = make()
    claims = {}
    first_holds, first_may_commit = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                claims["first"] = work_claim(kind=kind, pk=row.pk)
                first_holds.set()
                first_may_commit.wait(timeout=20)
        finally:
            connection.close()

    def second() -> None:
        try:
            claims["second"] = work_claim(kind=kind, pk=row.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_holds.wait(timeout=20)
    threads[1].start()
    _wait_until_a_query_waits_for_a_lock()
    first_may_commit.set()
    for thread in threads:
        thread.join(timeout=20)

    assert claims["first"] is not None and claims["second"] is None
    row.refresh_from_db()
    assert row.attempts == 1 and row.claimed_until > timezone.now()


def _wait_until_a_query_waits_for_a_lock(timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("The second claimant never waited for the first one's lock")


@pytest.mark.parametrize("name", ["event", "delivery"])
def test_a_row_out_of_attempts_or_finished_cannot_be_claimed(name, settings):
    kind, make = MAKERS[name]
    settings.OUTBOX_MAX_ATTEMPTS = settings.NOTIFY_MAX_ATTEMPTS = 2
    spent = make(attempts=2)
    failed = make(**({"key": "f"} if name == "delivery" else {}), status="failed", attempts=1)
    assert work_claim(kind=kind, pk=spent.pk) is None
    assert work_claim(kind=kind, pk=failed.pk) is None


# --- Backoff and giving up -------------------------------------------------------------------


def test_event_retries_back_off_exponentially_up_to_an_hour(settings):
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 60
    assert [work_retry_delay(kind=EVENTS, attempts=n) for n in (1, 2, 3, 4)] == [
        60,
        120,
        240,
        480,
    ]
    assert work_retry_delay(kind=EVENTS, attempts=30) == 3600


def test_a_failed_event_is_held_until_its_next_try(monkeypatch, settings):
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 60
    tries = []

    def flaky(payload):
        tries.append(payload)
        if len(tries) == 1:
            raise ConnectionError("search index unreachable")

    monkeypatch.setattr(handlers, "_handlers", {"test.kind": [flaky]})
    event = _event(created_at=_ago(300))
    with pytest.raises(ConnectionError):
        event_handle(event_id=event.pk)
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING and event.attempts == 1
    assert event.claimed_until > timezone.now() + timedelta(seconds=55)
    # Neither a duplicate message nor the relay tries it before then.
    assert event_handle(event_id=event.pk) is False
    assert events_pending() == []
    assert work_next_due(kind=EVENTS) == event.claimed_until

    Event.objects.filter(pk=event.pk).update(claimed_until=_ago(1))  # the next try is due
    assert events_pending() == [event.pk]
    assert relay(["event"]) == 1
    event.refresh_from_db()
    assert (event.status, event.attempts, event.last_error) == ("done", 2, "")
    assert event.handled_at is not None


def test_an_event_whose_handler_keeps_failing_ends_failed_and_is_not_relayed_again(
    broken, settings
):
    event = _event(created_at=_ago(300))
    # Each minute the relay dispatches it again (eager here), until no attempt is left.
    assert [relay(["event"]) for _ in range(4)] == [1, 1, 1, 0]
    assert len(broken) == 3
    event.refresh_from_db()
    assert (event.status, event.attempts, event.claimed_until) == ("failed", 3, None)
    assert event.handled_at is None
    assert "ConnectionError: search index unreachable" in event.last_error
    # Failed is final for messages and the relay; only a person runs it again (admin).
    assert event_handle(event_id=event.pk) is False
    event_dispatch.delay(event.pk)
    assert events_pending() == [] and relay() == 0
    assert work_next_due(kind=EVENTS) is None
    assert len(broken) == 3


def test_event_dispatch_retries_a_failed_event_later_not_at_once(broken, settings):
    """In-process the task cannot wait: it leaves the event held for the relay."""
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 60
    event = _event()
    assert event_dispatch.delay(event.pk).get() is None
    assert len(broken) == 1
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING and event.attempts == 1


# --- The abandoned sweep ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["event", "delivery"])
def test_a_last_attempt_whose_worker_died_is_failed_by_the_relay(name, settings, calls):
    kind, make = MAKERS[name]
    settings.OUTBOX_MAX_ATTEMPTS = settings.NOTIFY_MAX_ATTEMPTS = 3
    extra = (lambda key: {"key": key}) if name == "delivery" else (lambda key: {})
    died = make(**extra("died"), created_at=_ago(600), attempts=3, claimed_until=_ago(5))
    died_after_error = make(
        **extra("died-after"),
        created_at=_ago(600),
        attempts=3,
        claimed_until=_ago(5),
        last_error="ConnectionError: refused",
    )
    still_running = make(
        **extra("running"),
        created_at=_ago(600),
        attempts=3,
        claimed_until=timezone.now() + timedelta(seconds=60),
    )

    assert work_due(kind=kind) == []  # no attempt left: never queued again
    assert relay([name]) == 0
    died.refresh_from_db()
    died_after_error.refresh_from_db()
    still_running.refresh_from_db()
    assert (died.status, died.last_error) == ("failed", ABANDONED)
    assert died_after_error.status == "failed"
    assert died_after_error.last_error == f"{ABANDONED} The try before it: ConnectionError: refused"
    assert still_running.status == "pending"  # its worker may still finish
    assert work_abandoned_fail(kind=kind) == 0
    assert calls == []


# --- One relay for every kind ----------------------------------------------------------------


def test_one_relay_queues_the_due_work_of_every_kind(calls, mailoutbox, settings):
    # One email per send: a batch would also take the fresh delivery (its own message's).
    settings.NOTIFY_SEND_BATCH = 1
    event = _event(created_at=_ago(300))
    delivery = _delivery(created_at=_ago(300))
    _event(payload={"id": "fresh"})  # its own message is on the way
    _delivery(key="fresh")

    assert relay() == 2  # eager in tests: both run at once
    assert calls == [{"id": 1}]
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    event.refresh_from_db()
    delivery.refresh_from_db()
    assert (event.status, delivery.status) == (EventStatus.DONE, DeliveryStatus.SENT)
    assert relay() == 0


def test_the_relay_refuses_a_kind_nobody_registered():
    with pytest.raises(ValueError, match="carrier_pigeon"):
        relay(["carrier_pigeon"])


def test_events_and_deliveries_are_registered_with_their_tasks_and_beat_runs_one_relay():
    from marketplace.notifications.tasks import delivery_send
    from marketplace.webhooks.tasks import webhook_deliver

    assert {kind.name: task for kind, task in kinds.registered()} == {
        "event": event_dispatch,
        "delivery": delivery_send,
        "webhook": webhook_deliver,
    }
    relays = [e for e in django_settings.CELERY_BEAT_SCHEDULE.values() if "relay" in e["task"]]
    assert [e["task"] for e in relays] == [relay.name]
    assert relays[0]["schedule"] == timedelta(minutes=1)


def test_queuing_a_kind_without_a_task_fails_loudly():
    unregistered = kinds.WorkKind(
        name="carrier_pigeon",
        model=Event,
        max_attempts_setting="OUTBOX_MAX_ATTEMPTS",
        backoff_setting="OUTBOX_RETRY_BACKOFF_SECONDS",
        claim_setting="OUTBOX_CLAIM_SECONDS",
    )
    with pytest.raises(LookupError, match="AppConfig.ready"):
        kinds.task_for(unregistered)


# --- Admin -----------------------------------------------------------------------------------


def test_failed_events_are_visible_in_admin_and_can_be_run_again(
    admin_user, client_for, calls, django_capture_on_commit_callbacks
):
    failed = _event(status="failed", attempts=8, last_error="ConnectionError: index down")
    done = _event(status="done", handled_at=timezone.now(), attempts=1)
    client = client_for(admin_user)
    url = reverse("admin:outbox_event_changelist")

    page = client.get(url, {"status__exact": "failed"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [failed]
    assert b"ConnectionError: index down" in page.content
    detail = client.get(reverse("admin:outbox_event_change", args=[failed.pk]))
    assert detail.status_code == 200 and b"ConnectionError: index down" in detail.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "resend", "_selected_action": [failed.pk, done.pk]}, follow=True
        )
    content = response.content.decode()
    assert "1 event queued again." in content
    assert "1 event was not failed and was left alone." in content
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("done", 1, "")
    assert calls == [{"id": 1}]  # the done one was not run again


def test_staff_without_the_change_permission_cannot_run_events_again(moderator, client_for):
    from django.contrib.auth.models import Permission

    moderator.user_permissions.set(
        Permission.objects.filter(content_type__app_label="outbox", codename="view_event")
    )
    failed = _event(status="failed", attempts=8)
    url = reverse("admin:outbox_event_changelist")
    client = client_for(moderator)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "resend", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == EventStatus.FAILED

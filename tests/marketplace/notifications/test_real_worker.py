"""Reliable delivery with a real Celery worker, the real Redis broker and PostgreSQL.

Not eager: the worker runs in a thread of this process (``celery.contrib.testing.worker``),
consumes a queue of this test's own on a real Redis (the ``redis_url`` fixture)
and sees only committed rows, exactly as a separate worker would. Each fault test breaks
one link of the chain (the broker, the worker, the mail server, the caller) and checks that
every email still goes out exactly once, or ends visibly failed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.core import mail
from django.db import close_old_connections, connection, connections
from django.urls import reverse
from django.utils import timezone

from marketplace.celery import app, broker_pause_reset
from marketplace.database import connection_url
from marketplace.listings import services as listing_services
from marketplace.listings.models import Achievement
from marketplace.notifications.choices import DeliveryStatus, NotificationKind
from marketplace.notifications.models import Delivery, Notification
from marketplace.notifications.services import notify
from marketplace.notifications.tasks import delivery_send
from marketplace.outbox import handlers
from marketplace.outbox.models import Event
from marketplace.outbox.services import event_record
from marketplace.outbox.tasks import event_dispatch, relay
from marketplace.refusals import Refused
from tests.factories import make_achievement, make_challenge, make_user
from tests.marketplace.notifications.support import (
    REFUSING_BACKEND,
    STALLING_BACKEND,
    RefusingBackend,
    tell,
)

ROOT = Path(__file__).resolve().parents[3]
DEAD_BROKER = "redis://127.0.0.1:6390/15"  # nothing listens there: the broker is "down"

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(condition: Callable[[], bool], *, timeout: float = 20, what: str = "") -> None:
    """Poll until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what or condition}")


class RealCelery:
    """The project's Celery app pointed at a real broker, with a worker on demand."""

    def __init__(self, queue: str, broker: str) -> None:
        self.queue = queue
        self.broker = broker  # the live Redis
        self.runs: list[tuple[str, str, object]] = []  # (task id, state, return value)
        self._lock = threading.Lock()

    def point_at(self, broker_url: str) -> None:
        """Send (and consume) through this broker from now on."""
        app.conf.broker_url = broker_url
        _drop_connections()
        broker_pause_reset()  # a failure on the old broker says nothing of this one

    def record(self, task_id=None, state=None, retval=None, **_) -> None:
        with self._lock:
            self.runs.append((task_id, state, retval))
        # Each task's thread closes its database connection, so none outlives the test.
        connection.close()

    def finished(self, result) -> object:
        """Wait until the task of this AsyncResult has finished; its return value."""
        done = []

        def found() -> bool:
            with self._lock:
                done[:] = [r for r in self.runs if r[0] == result.id and r[1] == "SUCCESS"]
            return bool(done)

        wait_for(found, what=f"task {result.id}")
        return done[0][2]

    @contextmanager
    def worker(self, concurrency: int = 2) -> Iterator[None]:
        with start_worker(
            app,
            pool="threads",
            concurrency=concurrency,
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=30,
        ):
            yield


def _drop_connections() -> None:
    """Close pooled broker connections and forget routing so that new settings apply."""
    kombu.pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture
def celery(settings, mailoutbox, monkeypatch, redis_url) -> Iterator[RealCelery]:
    # The worker's threads close their connections after each task (see RealCelery.record).
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    real = RealCelery(f"keqiao-test-{uuid.uuid4().hex[:12]}", redis_url)
    keys = ("task_always_eager", "broker_url", "task_default_queue", "worker_hijack_root_logger")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=redis_url,
        task_default_queue=real.queue,
        worker_hijack_root_logger=False,
    )
    _drop_connections()
    task_postrun.connect(real.record, weak=False)
    try:
        yield real
    finally:
        task_postrun.disconnect(real.record)
        redis.Redis.from_url(redis_url).delete(real.queue)
        app.conf.update(saved)
        _drop_connections()


def _sent() -> Counter:
    """How many times each Message-ID went out."""
    return Counter(m.extra_headers["Message-ID"] for m in mail.outbox)


def _all_sent() -> bool:
    return not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def _a_minute_passes() -> None:
    """What the relays see a minute later: everything now is old enough to relay."""
    earlier = timezone.now() - timedelta(minutes=2)
    Delivery.objects.update(created_at=earlier)
    Event.objects.update(created_at=earlier)


@pytest.fixture
def matching(monkeypatch, enterprise, ent_user):
    """Stands in for the matching room on ``listing.published``: the published listing
    matches one challenge, and the members of both organisations are told once."""
    challenge = make_challenge(enterprise, title="Need a photoresist")

    def match_published_listing(payload: dict) -> None:
        listing = Achievement.objects.select_related("organization").get(pk=payload["id"])
        members = [m.user for m in listing.organization.memberships.select_related("user")]
        notify(
            users=[*members, ent_user],
            kind=NotificationKind.MATCH_FOUND,
            template="test_event",
            context={"title": f"{listing.title} ↔ {challenge.title}"},
            link=listing.get_absolute_url(),
            key=f"match:achievement:{listing.pk}:challenge:{challenge.pk}",
        )

    monkeypatch.setattr(handlers, "_handlers", {"listing.published": [match_published_listing]})
    return challenge


def test_a_real_worker_delivers_after_commit(celery, uni_user, ent_user):
    with celery.worker():
        tell([uni_user, ent_user], title="Smoke")
        wait_for(_all_sent, what="both deliveries sent")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([uni_user.email, ent_user.email])
    assert set(_sent().values()) == {1}


def test_broker_down_at_publication_then_back_delivers_exactly_once(
    celery, matching, university, uni_user, ent_user, moderator, caplog, settings
):
    # One email per send, so that the lost one is the relay's to find: in a batch the match
    # emails' own sends would take it along (test_delivery's batch tests).
    settings.NOTIFY_SEND_BATCH = 1
    listing = make_achievement(university, status="pending", title="EUV resist")
    celery.point_at(DEAD_BROKER)
    # The moderator's click succeeds although nothing can be queued.
    listing_services.listing_publish(listing=listing, moderator=moderator)
    assert "Broker unreachable" in caplog.text
    listing.refresh_from_db()
    assert listing.status == "published"
    (moderation,) = Delivery.objects.all()  # written with the decision, waiting
    assert (moderation.status, moderation.attempts) == (DeliveryStatus.PENDING, 0)
    assert not Event.objects.filter(handled_at__isnull=False).exists()

    celery.point_at(celery.broker)  # the broker is back
    with celery.worker():
        _a_minute_passes()
        celery.finished(relay.delay(["event"]))
        wait_for(lambda: Event.objects.filter(handled_at__isnull=False).exists(), what="event")
        assert celery.finished(relay.delay(["delivery"])) >= 1
        wait_for(lambda: Delivery.objects.count() == 3 and _all_sent(), what="all three deliveries")
        # Later rounds of both relays find nothing left to do.
        _a_minute_passes()
        assert celery.finished(relay.delay(["delivery"])) == 0
        assert celery.finished(relay.delay(["event"])) == 0

    emails = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert emails == sorted(
        [
            (uni_user.email, "Your listing “EUV resist” is now live on Keqiao"),
            (uni_user.email, f"Event: EUV resist ↔ {matching.title}"),
            (ent_user.email, f"Event: EUV resist ↔ {matching.title}"),
        ]
    )
    assert set(_sent().values()) == {1}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_worker_dying_mid_delivery_delivers_exactly_once(celery, uni_user, ent_user):
    celery.point_at(DEAD_BROKER)  # write the rows without their messages
    (died,) = tell([uni_user], title="Died mid-send")
    (busy,) = tell([ent_user], title="Still being sent")
    celery.point_at(celery.broker)
    now = timezone.now()
    # A worker claimed each and was killed (its message was acked or lost). One claim has
    # run out; the other is still within its lease, as if its worker were alive.
    Delivery.objects.filter(pk=died.delivery_id).update(
        attempts=1, claimed_until=now - timedelta(seconds=1)
    )
    Delivery.objects.filter(pk=busy.delivery_id).update(
        attempts=1, claimed_until=now + timedelta(minutes=2)
    )
    _a_minute_passes()

    with celery.worker():
        assert celery.finished(relay.delay(["delivery"])) == 1
        wait_for(
            lambda: Delivery.objects.get(pk=died.delivery_id).status == DeliveryStatus.SENT,
            what="the relayed delivery",
        )
        # Duplicate messages (an unacked message redelivered, a second relay, another
        # worker) for the sent one and for the one still held: all find nothing to do.
        duplicates = [delivery_send.delay(died.delivery_id) for _ in range(3)]
        duplicates.append(delivery_send.delay(busy.delivery_id))
        assert [celery.finished(r) for r in duplicates] == ["skipped"] * 4

    assert [(m.to[0], m.subject) for m in mail.outbox] == [(uni_user.email, "Event: Died mid-send")]
    held = Delivery.objects.get(pk=busy.delivery_id)
    assert (held.status, held.attempts) == (DeliveryStatus.PENDING, 1)


def test_refusing_mail_server_is_retried_then_failed_shown_and_resent(
    celery, settings, uni_user, admin_user, client_for
):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BACKOFF_SECONDS = 0.2  # 0.2 s, then 0.4 s
    RefusingBackend.tries = 0
    with celery.worker():
        (notification,) = tell([uni_user], title="Refused")
        wait_for(
            lambda: (
                Delivery.objects.get(pk=notification.delivery_id).status == DeliveryStatus.FAILED
            ),
            what="the delivery to fail",
        )
        delivery = Delivery.objects.get(pk=notification.delivery_id)
        assert delivery.attempts == 3 and RefusingBackend.tries == 3
        assert "SMTPServerDisconnected" in delivery.last_error
        # The same task message, retried by Celery twice with backoff, then done.
        states = [state for task_id, state, _ in celery.runs]
        assert states == ["RETRY", "RETRY", "SUCCESS"]
        assert celery.runs[-1][2] == "failed"

        # Visible in admin, and sent again from there once the mail server is back.
        client = client_for(admin_user)
        changelist = reverse("admin:notifications_delivery_changelist")
        page = client.get(changelist, {"status__exact": "failed"})
        assert list(page.context["cl"].result_list) == [delivery]
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        client.post(changelist, {"action": "resend", "_selected_action": [delivery.pk]})
        wait_for(_all_sent, what="the re-sent delivery")

    assert [m.subject for m in mail.outbox] == ["Event: Refused"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")


def test_an_event_whose_handler_keeps_failing_is_retried_by_the_worker_then_failed(
    celery, settings, monkeypatch
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 0.2  # 0.2 s, then 0.4 s

    def broken(payload: dict) -> None:
        raise ConnectionError("search index unreachable")

    monkeypatch.setattr(handlers, "_handlers", {"test.kind": [broken]})
    with celery.worker():
        event = event_record(kind="test.kind", payload={"id": 1})
        wait_for(lambda: len(celery.runs) == 3, what="three tries")
        # The same task message, retried by Celery twice with backoff, then done.
        assert [state for _, state, _ in celery.runs] == ["RETRY", "RETRY", "SUCCESS"]
        event.refresh_from_db()
        assert (event.status, event.attempts, event.claimed_until) == ("failed", 3, None)
        assert "search index unreachable" in event.last_error
        # Failed for good: later rounds of the relay leave it alone.
        _a_minute_passes()
        assert celery.finished(relay.delay(["event"])) == 0


def test_same_listing_published_twice_quickly_notifies_each_user_once(
    celery, matching, university, uni_user, ent_user, moderator
):
    listing = make_achievement(university, status="pending", title="Twice")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def publish() -> None:
        barrier.wait()
        try:
            listing_services.listing_publish(listing=listing, moderator=moderator)
            outcomes.append("published")
        except Refused:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    with celery.worker():
        clicks = [threading.Thread(target=publish) for _ in range(2)]
        for click in clicks:
            click.start()
        for click in clicks:
            click.join()
        assert sorted(outcomes) == ["published", "refused"]
        (event,) = Event.objects.all()
        wait_for(lambda: Event.objects.get().handled_at is not None, what="the event")
        wait_for(lambda: Delivery.objects.count() == 3 and _all_sent(), what="deliveries")

        # The same event dispatched again (duplicate messages), and even handled again
        # from scratch by two workers at once: nobody hears of the match twice.
        assert [celery.finished(event_dispatch.delay(event.pk)) for _ in range(2)] == [None] * 2
        Event.objects.filter(pk=event.pk).update(
            status="pending", handled_at=None, claimed_until=None
        )
        for result in [event_dispatch.delay(event.pk) for _ in range(2)]:
            celery.finished(result)
        wait_for(lambda: Event.objects.get().handled_at is not None, what="the second run")

    matches = Notification.objects.filter(kind=NotificationKind.MATCH_FOUND)
    assert sorted(matches.values_list("recipient__email", flat=True)) == sorted(
        [uni_user.email, ent_user.email]
    )
    assert Notification.objects.filter(kind=NotificationKind.MODERATION).count() == 1
    assert len(mail.outbox) == 3
    assert set(_sent().values()) == {1}


def test_duplicate_messages_and_concurrent_workers_send_each_once(celery, university):
    people = [
        make_user(org=university, role="member", email=f"busy{i}@zju.example") for i in range(30)
    ]
    celery.point_at(DEAD_BROKER)
    told = tell(people, title="Busy")
    celery.point_at(celery.broker)
    with celery.worker(concurrency=4):
        for _ in range(3):  # three messages per delivery, racing on four threads
            for notification in told:
                delivery_send.delay(notification.delivery_id)
        wait_for(_all_sent, what="30 deliveries")
        wait_for(lambda: len(celery.runs) == 90, what="all 90 messages handled")
    assert len(mail.outbox) == 30
    assert set(_sent().values()) == {1}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    # A message whose delivery another one's batch took returns "skipped": each of the 30
    # is reported sent at most once, and every other message found nothing to do.
    outcomes = Counter(retval for _, _, retval in celery.runs)
    assert set(outcomes) <= {"sent", "skipped"} and 1 <= outcomes["sent"] <= 30


# --- a worker process killed mid-send ----------------------------------------------------------


@contextmanager
def worker_process(celery: RealCelery, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """``celery worker`` (prefork, one child) in its own process, on this test's queue and
    database; stopped (then killed if need be) before the test's database is flushed."""
    command = [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "-P", "prefork"]
    command += ["-c", "1", "-Q", celery.queue, "-l", "WARNING", "-n", f"{celery.queue}@%h"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        command,
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": connection_url(connection.settings_dict),
            "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
            "CELERY_BROKER_URL": celery.broker,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.parametrize("stall", ["before", "after"])
def test_worker_process_killed_mid_send(celery, settings, uni_user, stall):
    """SIGKILL the worker process while it sends. Killed before the mail server took the
    email: it goes out exactly once, after the claim runs out. Killed after the server took
    it and before the row was marked sent: the one gap we accept, so it goes out twice, and
    the second copy carries the same Message-ID for mail systems to fold."""
    signals = redis.Redis.from_url(celery.broker)
    key = f"{celery.queue}:mail"
    env = {
        "DJANGO_EMAIL_BACKEND": STALLING_BACKEND,
        "KEQIAO_TEST_REDIS": celery.broker,
        "KEQIAO_TEST_KEY": key,
        "KEQIAO_TEST_STALL": stall,
    }
    try:
        with worker_process(celery, env) as worker:
            (notification,) = tell([uni_user], title="Killed")
            if stall == "before":
                wait_for(lambda: signals.exists(f"{key}:stalled"), timeout=40, what="the send")
            else:
                wait_for(lambda: signals.llen(f"{key}:taken") == 1, timeout=40, what="the send")
            os.kill(int(signals.get(f"{key}:stalled")), signal.SIGKILL)

            delivery = Delivery.objects.get(pk=notification.delivery_id)
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
            # The claim outlives its worker: any message until it runs out (the one that
            # reject_on_worker_lost put back, a duplicate) finds it claimed. Then it runs out.
            Delivery.objects.filter(pk=delivery.pk).update(
                claimed_until=timezone.now() - timedelta(seconds=1),
                created_at=timezone.now() - timedelta(minutes=2),
            )
            relay.delay(["delivery"])
            wait_for(
                lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT,
                timeout=30,
                what="the relayed send",
            )
        output = worker.stdout.read()
        taken = [m.decode() for m in signals.lrange(f"{key}:taken", 0, -1)]
    finally:
        signals.delete(f"{key}:stalled", f"{key}:taken")

    assert "signal 9 (SIGKILL)" in output  # the worker saw its child die mid-task
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    if stall == "before":
        assert len(taken) == 1
    else:
        assert len(taken) == 2 and taken[0] == taken[1]

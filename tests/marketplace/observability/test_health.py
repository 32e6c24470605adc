"""/healthz: the database, the broker, the workers' heartbeat and the outbox's lag, 200 when
all are fine and 503 naming what failed; /healthz/live answers whenever the process does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.observability import health, selectors
from marketplace.observability.models import WorkerHeartbeat
from marketplace.observability.tasks import worker_heartbeat
from marketplace.outbox.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_broker(monkeypatch):
    """As with a broker and workers: the broker answers with an empty queue."""
    monkeypatch.setattr(selectors, "broker_in_use", lambda: True)
    monkeypatch.setattr(selectors, "broker_queue_length", lambda: 3)


def _get(client):
    response = client.get(reverse("observability:healthz"))
    return response.status_code, response.json()


def test_healthy_without_a_broker(client):
    status, report = _get(client)
    assert status == 200
    assert report["status"] == "ok"
    checks = report["checks"]
    assert checks["database"] == {"status": "ok"}
    assert checks["broker"]["status"] == "skipped"
    assert checks["workers"]["status"] == "skipped"
    assert checks["outbox"]["status"] == "ok"
    assert set(checks["outbox"]["kinds"]) >= {"event", "delivery"}


def test_healthy_with_a_broker_and_a_fresh_heartbeat(client, with_broker):
    worker_heartbeat.apply()
    status, report = _get(client)
    assert status == 200, report
    assert report["checks"]["broker"] == {"status": "ok", "queue_length": 3}
    assert report["checks"]["workers"]["status"] == "ok"


def test_no_worker_heartbeat_is_degraded(client, with_broker):
    status, report = _get(client)
    assert status == 503
    assert report["status"] == "degraded"
    assert report["checks"]["workers"]["status"] == "fail"


def test_a_stale_heartbeat_is_degraded(client, with_broker, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 180
    WorkerHeartbeat.objects.create(
        hostname="celery@old", seen_at=timezone.now() - timedelta(seconds=181)
    )
    status, report = _get(client)
    assert status == 503
    assert report["checks"]["workers"]["status"] == "fail"
    assert report["checks"]["workers"]["heartbeat_age_seconds"] >= 181


def test_a_broker_that_does_not_answer_is_degraded(client, monkeypatch):
    monkeypatch.setattr(selectors, "broker_in_use", lambda: True)

    def down():
        raise ConnectionRefusedError("secret detail")

    monkeypatch.setattr(selectors, "broker_queue_length", down)
    status, report = _get(client)
    assert status == 503
    # The exception's type only: the page is public.
    assert report["checks"]["broker"] == {"status": "fail", "error": "ConnectionRefusedError"}


def test_a_database_that_does_not_answer_is_degraded(client, monkeypatch):
    def down():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", down)
    status, report = _get(client)
    assert status == 503
    assert report["checks"]["database"] == {"status": "fail", "error": "OSError"}


def test_outbox_lag_over_the_limit_is_degraded(client, settings):
    settings.HEALTHZ_OUTBOX_MAX_LAG_SECONDS = 600
    Event.objects.create(kind="test.late", created_at=timezone.now() - timedelta(minutes=11))
    status, report = _get(client)
    assert status == 503
    outbox = report["checks"]["outbox"]
    assert outbox["status"] == "fail"
    assert outbox["kinds"]["event"]["pending"] == 1
    assert outbox["kinds"]["event"]["lag_seconds"] >= 660


def test_work_held_for_its_retry_is_not_lag(client, settings):
    """A row waiting for its backoff is on schedule, not late."""
    settings.HEALTHZ_OUTBOX_MAX_LAG_SECONDS = 600
    Event.objects.create(
        kind="test.held",
        attempts=2,
        created_at=timezone.now() - timedelta(hours=1),
        claimed_until=timezone.now() + timedelta(minutes=5),
    )
    status, report = _get(client)
    assert status == 200
    assert report["checks"]["outbox"]["kinds"]["event"] == {
        "pending": 1,
        "failed": 0,
        "lag_seconds": 0.0,
    }


def test_liveness_answers_without_the_checks(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", lambda: 1 / 0)
    response = client.get(reverse("observability:healthz_live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_pages_refuse_writes(client):
    assert client.post(reverse("observability:healthz")).status_code == 405
    assert client.post(reverse("observability:healthz_live")).status_code == 405


def test_the_heartbeat_task_keeps_one_row_per_host():
    worker_heartbeat.apply()
    worker_heartbeat.apply()
    assert WorkerHeartbeat.objects.count() == 1


@pytest.mark.celery_worker
def test_queue_length_read_from_a_real_redis(redis_url):
    import uuid

    import kombu.pools
    import redis

    from marketplace.celery import app

    def drop() -> None:
        kombu.pools.reset()
        app._pool = None
        app.__dict__.pop("amqp", None)

    queue = f"keqiao-test-{uuid.uuid4().hex[:12]}"
    keys = ("task_always_eager", "broker_url", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=queue)
    drop()
    try:
        assert selectors.broker_queue_length() == 0  # Redis keeps no empty list
        worker_heartbeat.delay()
        worker_heartbeat.delay()
        assert selectors.broker_queue_length() == 2
        assert health.check_broker() == {"status": "ok", "queue_length": 2}
    finally:
        redis.Redis.from_url(redis_url).delete(queue)
        app.conf.update(saved)
        drop()

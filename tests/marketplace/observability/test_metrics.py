"""/metrics: Prometheus text with requests, latency, task outcomes and the outbox's backlog,
for a bearer token or an allowed address only, added up over several processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from marketplace.observability import selectors
from marketplace.observability.tasks import worker_heartbeat
from marketplace.outbox.models import Event

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
URL = "/metrics"


def _samples(response) -> dict[tuple[str, frozenset], float]:
    text = response.content.decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_the_url():
    assert reverse("observability:metrics") == URL


def test_requests_are_counted_by_url_name_and_status(client):
    before = _samples(client.get(URL))
    client.get(reverse("observability:healthz_live"))
    client.get(reverse("observability:healthz_live"))
    client.get("/no-such-page-at-all/")
    after = _samples(client.get(URL))

    live = {"view": "observability:healthz_live", "method": "GET", "status": "200"}
    assert (
        _value(after, "keqiao_http_requests_total", **live)
        - _value(before, "keqiao_http_requests_total", **live)
        == 2
    )
    assert (
        _value(after, "keqiao_http_requests_total", view="<unmatched>", method="GET", status="404")
        >= 1
    )
    assert (
        _value(
            after, "keqiao_http_request_duration_seconds_count", view="observability:healthz_live"
        )
        >= 2
    )


def test_the_outbox_and_delivery_backlog(client):
    Event.objects.create(kind="test.pending")
    Event.objects.create(kind="test.failed", status="failed", attempts=8)
    samples = _samples(client.get(URL))
    assert _value(samples, "keqiao_outbox_pending", kind="event") == 1
    assert _value(samples, "keqiao_outbox_failed", kind="event") == 1
    assert _value(samples, "keqiao_outbox_pending", kind="delivery") == 0
    assert ("keqiao_outbox_lag_seconds", frozenset({("kind", "delivery")})) in samples


def test_task_outcomes_are_counted(client):
    before = _samples(client.get(URL))
    worker_heartbeat.delay()  # in-process
    after = _samples(client.get(URL))
    labels = {"task": "marketplace.observability.tasks.worker_heartbeat", "outcome": "succeeded"}
    assert (
        _value(after, "keqiao_celery_tasks_total", **labels)
        - _value(before, "keqiao_celery_tasks_total", **labels)
        == 1
    )


def test_queue_length_and_heartbeat_with_a_broker(client, monkeypatch):
    monkeypatch.setattr(selectors, "broker_in_use", lambda: True)
    monkeypatch.setattr(selectors, "broker_queue_length", lambda: 17)
    samples = _samples(client.get(URL))
    assert _value(samples, "keqiao_celery_queue_length", queue="celery") == 17


def test_a_broker_that_does_not_answer_leaves_its_metric_out(client, monkeypatch):
    monkeypatch.setattr(selectors, "broker_in_use", lambda: True)
    monkeypatch.setattr(selectors, "broker_queue_length", lambda: 1 / 0)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"keqiao_celery_queue_length" not in response.content
    assert b"keqiao_outbox_pending" in response.content


# --- Protection ----------------------------------------------------------------------------


def test_an_address_not_allowed_is_refused(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get(URL, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert b"keqiao_" not in response.content


def test_an_allowed_network(client, settings):
    import ipaddress

    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    assert client.get(URL, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get(URL, REMOTE_ADDR="127.0.0.1").status_code == 403


def test_through_a_proxy_the_address_does_not_count(client):
    # nginx on the same machine connects from 127.0.0.1 for every visitor.
    response = client.get(URL, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403


def test_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get(URL, REMOTE_ADDR="203.0.113.9").status_code == 403
    wrong = client.get(URL, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    right = client.get(
        URL,
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer s3cret-token",
    )
    assert right.status_code == 200
    assert right["Content-Type"].startswith("text/plain")


def test_no_token_set_means_no_empty_token_accepted(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get(URL, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 403


# --- Several gunicorn workers ------------------------------------------------------------------


def test_counters_of_several_processes_are_added_up(tmp_path):
    """Two worker processes count requests; a scrape of a third process sees both; the
    gunicorn hook retires an exited worker without losing its counts."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    count = textwrap.dedent(
        """
        from marketplace.observability.metrics import REQUESTS
        REQUESTS.labels("home", "GET", "200").inc()
        """
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True, timeout=60)
    scrape = textwrap.dedent(
        """
        import types
        from prometheus_client import generate_latest
        from marketplace import gunicorn
        from marketplace.observability.metrics import counted_registry
        gunicorn.child_exit(None, types.SimpleNamespace(pid=12345))
        print(generate_latest(counted_registry()).decode())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", scrape], env=env, check=True, timeout=60, capture_output=True
    ).stdout.decode()
    assert 'keqiao_http_requests_total{method="GET",status="200",view="home"} 2.0' in out

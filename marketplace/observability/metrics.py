"""Prometheus metrics, served at ``/metrics`` (``views.metrics``).

Counted as they happen, in the process where they happen:
- ``keqiao_http_requests_total{view,method,status}`` and
  ``keqiao_http_request_duration_seconds{view}`` (``MetricsMiddleware``; ``view`` is the URL
  name, so the label set stays bounded);
- ``keqiao_celery_tasks_total{task,outcome}`` (``succeeded``, ``failed``, ``retried``), by
  Celery's signals.
Read from the database and the broker when scraped (``StateCollector``):
- ``keqiao_outbox_pending{kind}``, ``keqiao_outbox_failed{kind}``,
  ``keqiao_outbox_lag_seconds{kind}``: each kind of durable work (``event``: the outbox's
  events; ``delivery``: emails) — its backlog, its failed rows and the age of its oldest due
  row;
- ``keqiao_celery_queue_length{queue}``: messages waiting in the broker;
- ``keqiao_worker_heartbeat_age_seconds``.

Several gunicorn workers: with ``PROMETHEUS_MULTIPROC_DIR`` set (``marketplace/gunicorn.py``
sets it), each process writes its counters to files there and a scrape of any process adds
them all up; gunicorn's ``child_exit`` hook retires a dead worker's files.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "keqiao_http_requests",
    "HTTP requests answered, by URL name, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "keqiao_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL name.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10),
)
TASKS = Counter(
    "keqiao_celery_tasks",
    "Celery tasks finished, by task and outcome (succeeded, failed, retried).",
    ["task", "outcome"],
)

_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"  # 404s of unknown paths: one label, whatever the path
    return match.view_name or "<unnamed>"


class MetricsMiddleware:
    """Count each request and time it, labelled by the URL's name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        view = _view_label(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


# --- Tasks ------------------------------------------------------------------------------------


def _task_name(sender: Any) -> str:
    return getattr(sender, "name", None) or str(sender)


def _succeeded(sender: Any = None, **_: Any) -> None:
    TASKS.labels(_task_name(sender), "succeeded").inc()


def _failed(sender: Any = None, **_: Any) -> None:
    TASKS.labels(_task_name(sender), "failed").inc()


def _retried(sender: Any = None, **_: Any) -> None:
    TASKS.labels(_task_name(sender), "retried").inc()


def connect_task_signals() -> None:
    from celery.signals import task_failure, task_retry, task_success

    task_success.connect(_succeeded, weak=False, dispatch_uid="keqiao-metrics-success")
    task_failure.connect(_failed, weak=False, dispatch_uid="keqiao-metrics-failure")
    task_retry.connect(_retried, weak=False, dispatch_uid="keqiao-metrics-retry")


# --- Read when scraped ------------------------------------------------------------------------


class StateCollector(Collector):
    """The outbox's backlog, the broker's queue and the workers' heartbeat, read at scrape
    time. A source that cannot be read is left out of the scrape (and logged)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from marketplace.observability import selectors

        try:
            backlogs = selectors.backlogs()
        except Exception:
            logger.warning("Metrics: could not read the outbox's backlog", exc_info=True)
            backlogs = []
        if backlogs:
            pending = GaugeMetricFamily(
                "keqiao_outbox_pending", "Durable work pending, by kind.", labels=["kind"]
            )
            failed = GaugeMetricFamily(
                "keqiao_outbox_failed", "Durable work failed for good, by kind.", labels=["kind"]
            )
            lag = GaugeMetricFamily(
                "keqiao_outbox_lag_seconds",
                "Age of the oldest durable work due and not taken, by kind.",
                labels=["kind"],
            )
            for b in backlogs:
                pending.add_metric([b.kind], b.pending)
                failed.add_metric([b.kind], b.failed)
                lag.add_metric([b.kind], b.lag_seconds)
            yield from (pending, failed, lag)

        if selectors.broker_in_use():
            from marketplace.celery import app

            try:
                length = selectors.broker_queue_length()
            except Exception:
                logger.warning("Metrics: could not read the broker's queue", exc_info=True)
            else:
                queue = GaugeMetricFamily(
                    "keqiao_celery_queue_length",
                    "Messages waiting in the broker.",
                    labels=["queue"],
                )
                queue.add_metric([app.conf.task_default_queue], length)
                yield queue
            try:
                age = selectors.heartbeat_age_seconds()
            except Exception:
                age = None
            if age is not None:
                yield GaugeMetricFamily(
                    "keqiao_worker_heartbeat_age_seconds",
                    "Seconds since a Celery worker last ran the heartbeat task.",
                    value=age,
                )


def counted_registry() -> CollectorRegistry:
    """The counters: this process's, or in multiprocess mode every process's, added up."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    from prometheus_client import REGISTRY

    return REGISTRY


def render() -> bytes:
    """The text exposition of every metric: the counters, then the state read now."""
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector())
    return generate_latest(counted_registry()) + generate_latest(state)

"""Request ids: in and out as X-Request-ID, on every log record, carried to the tasks a
request causes (a message header) and on the log records of those tasks; JSON log lines."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterator

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from marketplace.celery import app
from marketplace.observability import health, request_id
from marketplace.observability.logs import JsonFormatter, TextFormatter
from marketplace.observability.request_id import RequestIdFilter

task_logger = logging.getLogger("tests.observability.task")


@app.task(name="tests.observability.say")
def say(word: str) -> None:
    task_logger.info("said %s", word)


class Records(logging.Handler):
    """Keeps the records that pass the site's request-id filter, as the console handler."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Iterator[Records]:
    # On the loggers themselves: a worker's start-up replaces the root logger's handlers.
    handler = Records()
    loggers = [
        task_logger,
        logging.getLogger("marketplace.observability"),
        logging.getLogger("django.request"),
    ]
    old_level = task_logger.level
    task_logger.setLevel(logging.INFO)
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
        task_logger.setLevel(old_level)


@pytest.mark.django_db
def test_each_response_has_a_request_id(client):
    first = client.get(reverse("observability:healthz_live"))["X-Request-ID"]
    second = client.get(reverse("observability:healthz_live"))["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_forged_one_replaced(client):
    url = reverse("observability:healthz_live")
    assert client.get(url, HTTP_X_REQUEST_ID="lb-4f2a.7")["X-Request-ID"] == "lb-4f2a.7"
    forged = client.get(url, HTTP_X_REQUEST_ID='x" level=ERROR fake')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


@pytest.mark.django_db
def test_log_records_of_a_request_carry_its_id(client, records, monkeypatch):
    def down():
        raise OSError("refused")

    monkeypatch.setitem(health.CHECKS, "database", down)
    client.get(reverse("observability:healthz"), HTTP_X_REQUEST_ID="req-42")
    logged = [r for r in records.records if r.getMessage() == "Health check database failed"]
    assert [r.request_id for r in logged] == ["req-42"]
    # Django's own 503 line, written after the middleware returned, has it too.
    (served,) = [r for r in records.records if r.name == "django.request"]
    assert served.request_id == "req-42"
    # After the response, nothing is attributed to that request any more.
    task_logger.warning("outside")
    assert records.records[-1].request_id == "-"


def test_publishing_a_task_puts_the_request_id_in_its_headers():
    headers: dict = {}
    token = request_id._current.set("req-7")
    try:
        request_id._on_publish(headers=headers)
    finally:
        request_id._current.reset(token)
    assert headers == {"request_id": "req-7"}
    request_id._on_publish(headers=(empty := {}))  # no request: nothing added
    assert empty == {}


def test_a_task_logs_with_the_request_id_of_its_message(records):
    say.apply(args=["hello"], headers={"request_id": "req-9"})
    (said,) = [r for r in records.records if r.getMessage() == "said hello"]
    assert said.request_id == "req-9"
    assert said.task_name == "tests.observability.say"
    assert request_id.current() is None  # restored after the task


def test_json_log_lines(records):
    token = request_id._current.set("req-json")
    try:
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError:
            task_logger.exception("broken %s", "thing", extra={"listing": 12})
    finally:
        request_id._current.reset(token)
    line = JsonFormatter().format(records.records[-1])
    entry = json.loads(line)
    assert entry["message"] == "broken thing"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "tests.observability.task"
    assert entry["request_id"] == "req-json"
    assert entry["listing"] == 12
    assert "ZeroDivisionError" in entry["exception"]
    assert "\n" not in line
    assert "[req-json] broken thing" in TextFormatter().format(records.records[-1])


# --- End to end with a real worker on Redis ----------------------------------------------------


def _drop_connections() -> None:
    kombu.pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.mark.celery_worker
def test_a_real_worker_logs_with_the_request_id_of_the_request(redis_url, records):
    queue = f"keqiao-test-{uuid.uuid4().hex[:12]}"
    keys = ("task_always_eager", "broker_url", "task_default_queue", "worker_hijack_root_logger")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=redis_url,
        task_default_queue=queue,
        worker_hijack_root_logger=False,
    )
    _drop_connections()
    try:
        token = request_id._current.set("req-worker-1")  # as during a request
        try:
            say.delay("through redis")
        finally:
            request_id._current.reset(token)
        with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                said = [r for r in records.records if r.getMessage() == "said through redis"]
                if said:
                    break
                time.sleep(0.05)
    finally:
        redis.Redis.from_url(redis_url).delete(queue)
        app.conf.update(saved)
        _drop_connections()
    assert said, "the worker did not run the task"
    assert said[0].request_id == "req-worker-1"
    assert said[0].task_id

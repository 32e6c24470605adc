"""One id per request, in its response, its log lines and the tasks it causes.

``RequestIdMiddleware`` takes the id of the ``X-Request-ID`` header (a reverse proxy's, when
it looks like one) or makes one, and answers with it. ``RequestIdFilter`` (on the log
handlers, ``settings.LOGGING``) writes it on every record as ``request_id``. Tasks queued
during the request carry it in a message header (``before_task_publish``) and a worker sets
it again while it runs the task (``task_prerun``), so the worker's log lines name the
request that caused them. In-process tasks simply run in the request's context.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# What an incoming id may look like: no spaces, quotes or newlines to forge log lines with.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)
_task_tokens: dict[str, Token] = {}


def current() -> str | None:
    """The id of the request (or of the request that caused the task) being served."""
    return _current.get()


def acceptable(value: str | None) -> str | None:
    """``value`` when it is usable as a request id, else None."""
    if value and _ACCEPTABLE.match(value):
        return value
    return None


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request an id (``request.request_id``) and answer with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = acceptable(request.headers.get(HEADER)) or new_id()
        request.request_id = rid
        # Kept until the response is finished (``_on_request_finished``): Django logs a 4xx
        # or 5xx (``django.request``) after the middleware has returned.
        _current.set(rid)
        response = self.get_response(request)
        response[HEADER] = rid
        return response


def _on_request_finished(**_: Any) -> None:
    _current.set(None)


class RequestIdFilter(logging.Filter):
    """Write the current request id, and the running task if any, on each log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current() or "-"
        if not hasattr(record, "task_id"):
            from celery import current_task

            task = current_task
            request = getattr(task, "request", None) if task else None
            record.task_id = getattr(request, "id", None) if request else None
            record.task_name = task.name if record.task_id else None
        return True


# --- Celery: carry the id with the message, set it while the task runs ------------------------


def _on_publish(headers: dict | None = None, **_: Any) -> None:
    rid = current()
    if rid and headers is not None:
        headers.setdefault(TASK_HEADER, rid)


def _on_task_start(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    request = getattr(task, "request", None)
    if request is None or task_id is None:
        return
    # Protocol 2 puts a message's own headers on the request; apply(headers=…) nests them.
    rid = request.get(TASK_HEADER) or (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    rid = acceptable(rid)
    if rid:  # else an in-process task keeps its request's id, a worker's stays unset
        _task_tokens[task_id] = _current.set(rid)


def _on_task_end(task_id: str | None = None, **_: Any) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (a thread pool's): just clear it
            _current.set(None)


def connect_signals() -> None:
    """Celery's (publication, task start and end) and Django's end of a response."""
    from celery.signals import before_task_publish, task_postrun, task_prerun
    from django.core.signals import request_finished

    request_finished.connect(_on_request_finished, dispatch_uid="keqiao-request-id-finished")
    before_task_publish.connect(_on_publish, weak=False, dispatch_uid="keqiao-request-id-pub")
    task_prerun.connect(_on_task_start, weak=False, dispatch_uid="keqiao-request-id-start")
    task_postrun.connect(_on_task_end, weak=False, dispatch_uid="keqiao-request-id-end")

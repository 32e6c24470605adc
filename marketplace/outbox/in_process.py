"""Retrying durable work without a broker: a timer in the process runs the relay when due.

With a broker, a failed try is retried by Celery (a message with a countdown) and, should
that be lost, by beat's relay every minute. Without one (``CELERY_TASK_ALWAYS_EAGER``, as
``make run`` runs) tasks run in-process, nothing can wait for later, and beat does not run.
So an in-process task whose try failed hands the retry to this module
(``tasks.retry_later`` calls ``InProcessRelay.wake``): one daemon timer per process runs the
relay (``tasks.relay``, every kind) when the earliest held try is due. After each run it asks
the database when anything pending is next due and sets itself again, so it keeps going
until nothing is pending, and a run also picks up whatever else was due (a row whose message
was lost). At most one timer is waiting at a time; an earlier retry replaces a later timer.

The rows, their attempts and holds are in the database as always, so this is only a wake-up:
two processes (gunicorn's workers) running the relay at once is harmless, the claim decides.
Work left pending when the process stopped waits for the next time a try fails in-process
(or for a worker and beat). ``OUTBOX_IN_PROCESS_RELAY=false`` switches the timer off.

The timer and the clock are injectable, so tests fire the timer themselves; they never wait.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

# Never sooner than this, so that a row the relay cannot take does not make the timer spin.
MIN_DELAY_SECONDS = 1.0
# After a run that failed (the database was away), look again this much later.
RETRY_AFTER_ERROR_SECONDS = 60.0


def thread_timer(delay: float, function: Callable[[], None]) -> threading.Timer:
    """A daemon timer that runs ``function`` in its own thread and closes that thread's
    database connections afterwards."""

    def run() -> None:
        try:
            function()
        finally:
            connections.close_all()

    timer = threading.Timer(delay, run)
    timer.daemon = True  # never keeps the process from stopping
    return timer


class InProcessRelay:
    """One process's timer that runs ``relay`` when held work is next due.

    ``relay`` queues (in-process: runs) the due work of every kind; ``next_due`` says when
    anything pending is next due. ``timer(delay, function)`` returns an object with
    ``start()`` and ``cancel()``; ``now`` is the clock.
    """

    def __init__(
        self,
        *,
        relay: Callable[[], Any],
        next_due: Callable[[], datetime | None],
        timer: Callable[[float, Callable[[], None]], Any] = thread_timer,
        now: Callable[[], datetime] = timezone.now,
    ) -> None:
        self.relay = relay
        self.next_due = next_due
        self.timer = timer
        self.now = now
        self._lock = threading.Lock()
        self._waiting: Any = None
        self._due_at: datetime | None = None

    def wake(self, *, after: float) -> bool:
        """Make sure the relay runs in this process within ``after`` seconds. Returns False
        when in-process retries are switched off (``OUTBOX_IN_PROCESS_RELAY``)."""
        if not settings.OUTBOX_IN_PROCESS_RELAY:
            return False
        after = max(after, MIN_DELAY_SECONDS)
        due_at = self.now() + timedelta(seconds=after)
        with self._lock:
            if self._waiting is not None and self._due_at <= due_at:
                return True  # it runs sooner anyway and then looks again
            if self._waiting is not None:
                self._waiting.cancel()
            waiting = self.timer(after, lambda: self._run(waiting))
            self._waiting, self._due_at = waiting, due_at
        waiting.start()
        return True

    def _run(self, timer: Any) -> None:
        with self._lock:
            if self._waiting is timer:
                self._waiting = self._due_at = None
        try:
            self.relay()
            due = self.next_due()
        except Exception:
            logger.exception("The in-process relay failed; it looks again in a minute")
            due = self.now() + timedelta(seconds=RETRY_AFTER_ERROR_SECONDS)
        if due is not None:
            self.wake(after=(due - self.now()).total_seconds())

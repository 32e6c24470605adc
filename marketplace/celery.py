"""The Celery application.

Configured from Django settings (``CELERY_*``). With no broker configured the settings make
every task run in-process (eager), so ``make run`` needs no Redis.
"""

import contextvars
import logging
import os
import time

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# --- Broker trouble never slows a request (issue 12 item 7) ---------------------------------
# Publishing fails fast (CELERY_BROKER_CONNECTION_TIMEOUT, no publish retries: settings), and
# after one failure this process skips publishing for BROKER_DOWN_PAUSE_SECONDS: 200
# notifications in one request would otherwise each wait for the same dead broker. Nothing
# is lost by skipping: every task queued after commit acts on rows the relay finds again.
_broker_down_until = 0.0  # time.monotonic() before which publishing is skipped


def broker_paused() -> bool:
    """Whether a recent publishing failure says not to try the broker yet."""
    return time.monotonic() < _broker_down_until


def broker_failed() -> None:
    """Record a publishing failure: skip publishing for ``BROKER_DOWN_PAUSE_SECONDS``."""
    from django.conf import settings

    global _broker_down_until
    _broker_down_until = time.monotonic() + settings.BROKER_DOWN_PAUSE_SECONDS


def broker_pause_reset() -> None:
    """Forget a recorded failure (tests, and a process that knows the broker is back)."""
    global _broker_down_until
    _broker_down_until = 0.0


def enqueue_after_commit(task, *calls: tuple, background: bool = False) -> None:
    """Queue ``task(*args)`` for each ``args`` in ``calls`` once the current transaction commits.

    ``background``: the task is slow (it embeds a text). In-process (no broker) it then runs
    in a daemon thread after commit, so that the request that caused it answers at once,
    unless ``TASKS_IN_BACKGROUND`` is off (the tests, which want it done when they look).

    Every task queued this way acts on rows that the transaction wrote and that a periodic
    relay finds again if their message never left. So a broker that cannot be reached is
    logged, not raised: the caller's transaction has committed and its request must not fail
    now. The first such failure stops the rest, which would only wait for the same timeout,
    and pauses publishing in this process for ``BROKER_DOWN_PAUSE_SECONDS`` (``broker_paused``).
    In-process (eager) tasks still raise: there a failure is a bug to see.
    """
    from django.conf import settings
    from django.db import transaction
    from kombu.exceptions import OperationalError

    pending = [tuple(args) for args in calls]
    if not pending:
        return

    def enqueue() -> None:
        if background and app.conf.task_always_eager and settings.TASKS_IN_BACKGROUND:
            _in_thread(task, pending)
            return
        if not app.conf.task_always_eager and broker_paused():
            # Debug: a request that notifies 200 times would log 200 lines at info.
            logger.debug(
                "Broker down a moment ago: %d × %s not queued; the relay will queue them",
                len(pending),
                task.name,
            )
            return
        for done, args in enumerate(pending):
            try:
                task.delay(*args)
            except (OperationalError, OSError):  # OSError: a timeout kombu did not wrap
                broker_failed()
                logger.warning(
                    "Broker unreachable: %d × %s not queued; the relay will queue them",
                    len(pending) - done,
                    task.name,
                    exc_info=True,
                )
                return

    transaction.on_commit(enqueue)


def _in_thread(task, calls: list[tuple]) -> None:
    """Run ``task(*args)`` for each of ``calls`` in a daemon thread, one after the other."""
    import threading

    from django.db import connections

    def run() -> None:
        try:
            for args in calls:
                try:
                    task.apply(args=args, throw=True)
                except Exception:
                    # Held for a retry by the task itself, or relayed later: never lost.
                    logger.exception("In-process background task %s failed", task.name)
        finally:
            connections.close_all()

    # The thread keeps the request's context (its request id, for the task's log lines).
    context = contextvars.copy_context()
    threading.Thread(
        target=context.run, args=(run,), name=f"background {task.name}", daemon=True
    ).start()

"""The Celery application.

Configured from Django settings (``CELERY_*``). With no broker configured the settings make
every task run in-process (eager), so ``make run`` needs no Redis.
"""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def enqueue_after_commit(task, *calls: tuple) -> None:
    """Queue ``task(*args)`` for each ``args`` in ``calls`` once the current transaction commits.

    Every task queued this way acts on rows that the transaction wrote and that a periodic
    relay finds again if their message never left. So a broker that cannot be reached is
    logged, not raised: the caller's transaction has committed and its request must not fail
    now. The first such failure stops the rest, which would only wait for the same timeout.
    In-process (eager) tasks still raise: there a failure is a bug to see.
    """
    from django.db import transaction
    from kombu.exceptions import OperationalError

    pending = [tuple(args) for args in calls]
    if not pending:
        return

    def enqueue() -> None:
        for done, args in enumerate(pending):
            try:
                task.delay(*args)
            except OperationalError:
                logger.warning(
                    "Broker unreachable: %d × %s not queued; the relay will queue them",
                    len(pending) - done,
                    task.name,
                    exc_info=True,
                )
                return

    transaction.on_commit(enqueue)

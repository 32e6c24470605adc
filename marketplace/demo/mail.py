"""The demo's writes send their emails nowhere: demo addresses cannot receive mail."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.test.utils import override_settings

from marketplace.celery import app as celery_app


@contextmanager
def emails_kept_in_memory() -> Iterator[None]:
    """Deliver the services' emails to the in-memory outbox, in-process and without log lines.

    Demo addresses cannot receive mail, and a configured broker would hand the tasks to a
    worker with the real email backend; each eager task also logs a line of its own.
    """
    quiet = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    saved_levels = [logger.level for logger in quiet]
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    for logger in quiet:
        logger.setLevel(logging.ERROR)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        celery_app.conf.task_always_eager = was_eager
        for logger, level in zip(quiet, saved_levels, strict=True):
            logger.setLevel(level)

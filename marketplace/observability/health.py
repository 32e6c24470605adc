"""What ``/healthz`` checks: the database, the broker, the workers' heartbeat, the outbox.

Each check answers ``{"status": "ok" | "fail" | "skipped", …}``; the site is healthy when
none failed. ``skipped``: the check does not apply (no broker: tasks run in-process, so
there are no workers to hear from). A check never raises: what went wrong is its answer,
named by the exception's type only (the page is public; the logs have the rest).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection

from marketplace.observability import selectors

logger = logging.getLogger(__name__)

Result = dict[str, Any]


def _guarded(name: str, check: Callable[[], Result]) -> Result:
    try:
        return check()
    except Exception as exc:
        logger.warning("Health check %s failed", name, exc_info=True)
        return {"status": "fail", "error": type(exc).__name__}


def check_database() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def check_broker() -> Result:
    if not selectors.broker_in_use():
        return {"status": "skipped", "reason": "tasks run in-process"}
    return {"status": "ok", "queue_length": selectors.broker_queue_length()}


def check_workers() -> Result:
    if not selectors.broker_in_use():
        return {"status": "skipped", "reason": "tasks run in-process"}
    age = selectors.heartbeat_age_seconds()
    limit = settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS
    if age is None:
        return {"status": "fail", "error": "no worker heartbeat yet", "max_age_seconds": limit}
    status = "ok" if age <= limit else "fail"
    return {"status": status, "heartbeat_age_seconds": round(age, 1), "max_age_seconds": limit}


def check_outbox() -> Result:
    limit = settings.HEALTHZ_OUTBOX_MAX_LAG_SECONDS
    kinds = {
        b.kind: {"pending": b.pending, "failed": b.failed, "lag_seconds": round(b.lag_seconds, 1)}
        for b in selectors.backlogs()
    }
    late = any(k["lag_seconds"] > limit for k in kinds.values())
    return {"status": "fail" if late else "ok", "max_lag_seconds": limit, "kinds": kinds}


CHECKS: dict[str, Callable[[], Result]] = {
    "database": check_database,
    "broker": check_broker,
    "workers": check_workers,
    "outbox": check_outbox,
}


def health_report() -> tuple[bool, dict[str, Any]]:
    """(healthy, the report): every check's answer, and ``status`` ok or degraded."""
    checks = {name: _guarded(name, check) for name, check in CHECKS.items()}
    healthy = all(c["status"] != "fail" for c in checks.values())
    return healthy, {"status": "ok" if healthy else "degraded", "checks": checks}

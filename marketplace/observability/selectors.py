"""Reads of the observability room: the backlog of durable work, the broker's queue, the
workers' heartbeat. Shared by ``/healthz`` (``health``) and ``/metrics`` (``metrics``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from marketplace.observability.models import WorkerHeartbeat
from marketplace.outbox.kinds import registered
from marketplace.outbox.models import DurableWork


@dataclass(frozen=True)
class Backlog:
    """One kind of durable work: rows pending, failed, and the age of the oldest row that is
    due (pending, not held by a worker or a backoff) — the outbox's lag."""

    kind: str
    pending: int
    failed: int
    lag_seconds: float


def backlogs() -> list[Backlog]:
    """The backlog of every registered kind of durable work (events, deliveries, …)."""
    now = timezone.now()
    due = Q(status=DurableWork.PENDING) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )
    found = []
    for kind, _task in registered():
        figures = kind.model.objects.aggregate(
            pending=Count("pk", filter=Q(status=DurableWork.PENDING)),
            failed=Count("pk", filter=Q(status=DurableWork.FAILED)),
            oldest_due=Min("created_at", filter=due & Q(attempts__lt=kind.max_attempts)),
        )
        oldest: datetime | None = figures["oldest_due"]
        lag = max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
        found.append(Backlog(kind.name, figures["pending"], figures["failed"], lag))
    return found


def heartbeat_age_seconds() -> float | None:
    """Seconds since the freshest worker heartbeat; None when no worker ever beat."""
    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
    seen = latest.first()
    return None if seen is None else max((timezone.now() - seen).total_seconds(), 0.0)


def broker_in_use() -> bool:
    """False when tasks run in-process (no broker: ``make run``)."""
    from marketplace.celery import app

    return not app.conf.task_always_eager


def broker_queue_length() -> int:
    """Messages waiting in the default queue. Raises when the broker cannot be reached
    (within the fail-fast connection timeout)."""
    from kombu.exceptions import ChannelError

    from marketplace.celery import app

    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=0)  # fail fast, as publishing does
        try:
            declared = conn.default_channel.queue_declare(
                queue=app.conf.task_default_queue, passive=True
            )
        except ChannelError:  # Redis keeps no empty queue: nothing waits
            return 0
        return int(declared.message_count)

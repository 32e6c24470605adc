"""Writes of the observability room: the workers' heartbeat."""

from __future__ import annotations

from django.utils import timezone

from marketplace.observability.models import WorkerHeartbeat


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Record that the worker on ``hostname`` is alive now (one row per host)."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"seen_at": timezone.now()}
    )
    return beat

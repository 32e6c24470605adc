"""The workers' heartbeat, run by beat (``CELERY_BEAT_SCHEDULE["worker-heartbeat"]``)."""

from __future__ import annotations

from celery import shared_task

from marketplace.observability.services import heartbeat_record


@shared_task(bind=True, ignore_result=True, expires=60)
def worker_heartbeat(self) -> None:
    # Expires: a heartbeat queued while every worker was down says nothing when run later.
    heartbeat_record(hostname=self.request.hostname or "unknown")

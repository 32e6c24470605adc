"""The workers' heartbeat: one row per Celery worker host, refreshed by a beat task."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """When a Celery worker last ran the heartbeat task (``tasks.worker_heartbeat``, every
    ``WORKER_HEARTBEAT_SECONDS`` on beat). ``/healthz`` reports the workers down when no
    row is fresher than ``WORKER_HEARTBEAT_MAX_AGE_SECONDS``: then neither beat nor any
    worker is doing its job."""

    hostname = models.CharField(_("host name"), max_length=255, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"

"""Events written in the same transaction as the change they announce."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Something that happened (``listing.published``) and the work it still owes.

    Written inside the transaction of the change, so it exists exactly when the change does;
    handled after commit by ``tasks.event_dispatch`` and, should that be lost, by the
    periodic relay. ``claimed_until`` lets one worker at a time run its handlers.
    """

    kind = models.CharField(_("kind"), max_length=60)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The relay's scan: unhandled events, oldest first.
            models.Index(
                fields=["created_at"],
                name="outbox_event_unhandled",
                condition=models.Q(handled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.payload}"

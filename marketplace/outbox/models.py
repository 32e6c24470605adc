"""Durable after-commit work: the claimable row every kind shares, and outbox events.

``DurableWork`` is the abstract base of each kind of work that must happen after a
transaction commits and must not be lost (``Event`` here, ``notifications.Delivery``). Each
kind keeps its own table; the rules for claiming, retrying and giving up are the same for
all and live in ``services`` (the ``work_*`` functions).
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.outbox.choices import EventStatus


class DurableWork(models.Model):
    """Abstract: one piece of after-commit work that one worker at a time claims and tries.

    ``status`` moves once, pending → done (the subclass's word: ``done``, ``sent``) or
    pending → failed; only a person puts a failed row back to pending (``work_resend``).
    ``attempts`` counts the claims. ``claimed_until`` is the moment before which nobody else
    may try the row: the lease of the worker trying it, or, after a failed try, when the next
    try is due (the backoff). A subclass names its done status (``DONE``) and the field that
    records when it was done (``finished_field``), and overrides ``status`` with its choices.
    """

    PENDING: ClassVar[str] = "pending"
    FAILED: ClassVar[str] = "failed"
    DONE: ClassVar[str]
    finished_field: ClassVar[str]

    status = models.CharField(_("status"), max_length=10, default="pending")
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claimed_until = models.DateTimeField(
        _("claimed until"),
        null=True,
        blank=True,
        help_text=_(
            "Nobody tries it again before this: the lease of the worker trying it, or when "
            "the next try is due after a failed one."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        abstract = True


class Event(DurableWork):
    """Something that happened (``listing.published``) and the work it still owes.

    Written inside the transaction of the change, so it exists exactly when the change does;
    handled after commit by ``tasks.event_dispatch``, which runs every handler registered for
    its kind (``handlers``), and, should that message be lost, by the periodic relay. A
    handler that keeps failing is retried with backoff, then the event is marked failed
    (``OUTBOX_MAX_ATTEMPTS``); admin shows it and can run it again.
    """

    DONE = EventStatus.DONE
    finished_field = "handled_at"

    kind = models.CharField(_("kind"), max_length=60)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PENDING
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Done means handled at a known time, and only a done event has that time.
            models.CheckConstraint(
                condition=Q(status=EventStatus.DONE, handled_at__isnull=False)
                | (~Q(status=EventStatus.DONE) & Q(handled_at__isnull=True)),
                name="event_handled_at_iff_done",
            ),
        ]
        indexes = [
            # The relay's scan: pending events, oldest first.
            models.Index(
                fields=["created_at"],
                name="outbox_event_pending",
                condition=Q(status=EventStatus.PENDING),
            ),
            # Admin: failed events, newest first.
            models.Index(
                fields=["-created_at"],
                name="outbox_event_failed",
                condition=Q(status=EventStatus.FAILED),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.payload}"

"""Notifications (in-app), deliveries (emails) and each user's choice of how often to email.

A notification is written in the transaction of the event it announces; the email that
carries it is a ``Delivery`` row written in the same transaction (immediately) or later by
the digest task (daily, weekly). A delivery is durable work of the outbox
(``outbox.models.DurableWork``): sent by ``tasks.delivery_send`` after commit and by the
outbox's relay, each try claimed with a conditional update (``services.delivery``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.notifications.choices import Channel, DeliveryStatus, Frequency, NotificationKind
from marketplace.outbox.models import DurableWork


class Delivery(DurableWork):
    """One email to send: for one notification, for a digest of many, or for an address
    without an account (an invitation).

    ``key`` names what the email is for (``notification:12``, ``digest:daily:7:2026-03-02``)
    and is unique, so the same email is never queued twice. A sender claims the row by
    setting ``claimed_until`` with a conditional update while it is pending and unclaimed
    (``DurableWork``); the status then moves once, pending → sent or pending → failed.
    """

    DONE = DeliveryStatus.SENT
    finished_field = "sent_at"

    key = models.CharField(_("key"), max_length=255, unique=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text=_("Empty for an address without an account."),
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Sent means sent at a known time, and only a sent delivery has that time.
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.SENT, sent_at__isnull=False)
                | (~Q(status=DeliveryStatus.SENT) & Q(sent_at__isnull=True)),
                name="delivery_sent_at_iff_sent",
            ),
        ]
        indexes = [
            # The relay's scan: pending deliveries, oldest first.
            models.Index(
                fields=["created_at"],
                name="delivery_pending",
                condition=Q(status=DeliveryStatus.PENDING),
            ),
            # Admin: failed deliveries, newest first.
            models.Index(
                fields=["-created_at"],
                name="delivery_failed",
                condition=Q(status=DeliveryStatus.FAILED),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.to}"


class Notification(models.Model):
    """Something a user was told, shown in the site's notification list until read.

    Subject and body are rendered in the recipient's language when the event happens.
    ``key`` names the event (``match:12``): one notification per recipient and key, so an
    event handled twice tells nobody twice. ``frequency`` records how the recipient wanted
    this kind emailed at that moment; ``delivery`` is the email that carries it (set at once
    for ``immediately``, by the digest task for ``daily`` and ``weekly``, never for ``off``).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    key = models.CharField(_("key"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    frequency = models.CharField(
        _("email"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            # The list page: a recipient's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            # The navbar bell: a recipient's unread count.
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
            # The digest tasks: notifications still waiting for their daily or weekly email.
            models.Index(
                fields=["frequency", "created_at"],
                name="notification_digest_waiting",
                condition=Q(delivery__isnull=True, frequency__in=["daily", "weekly"]),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """How often one user wants email about one kind of notification.

    No row means ``immediately``. ``off`` still shows the notification on the site.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    frequency = models.CharField(
        _("email"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} → {self.get_frequency_display()}"

"""The broker ledger: who of a transfer centre follows up what, by when, and how it went.

Status changes happen only in ``services``; this model holds the data and the rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from marketplace.brokers.choices import AssignmentStatus
from marketplace.deals.models import Interest
from marketplace.listings.models import Challenge


class BrokerAssignment(models.Model):
    """A transfer centre gives one of its brokers a challenge or an interest of its region
    to follow up by a due date; the broker marks it done. Its response time (assigned →
    done) and, for an interest, the contract its deal signs count in the centre's report."""

    centre = models.ForeignKey(
        Organization,
        verbose_name=_("transfer centre"),
        on_delete=models.CASCADE,
        related_name="broker_assignments",
    )
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("broker"),
        on_delete=models.CASCADE,
        related_name="broker_assignments",
    )
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="broker_assignments",
    )
    interest = models.ForeignKey(
        Interest,
        verbose_name=_("expression of interest"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="broker_assignments",
    )
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus, default=AssignmentStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("broker assignment")
        verbose_name_plural = _("broker assignments")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(challenge__isnull=False, interest__isnull=True)
                | models.Q(challenge__isnull=True, interest__isnull=False),
                name="assignment_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", done_at__isnull=True)
                | models.Q(status="done", done_at__isnull=False),
                name="assignment_done_has_date",
            ),
            # One open assignment per subject and centre: a second would split the work.
            models.UniqueConstraint(
                fields=["centre", "challenge"],
                condition=models.Q(status="open"),
                name="assignment_one_open_challenge",
            ),
            models.UniqueConstraint(
                fields=["centre", "interest"],
                condition=models.Q(status="open"),
                name="assignment_one_open_interest",
            ),
        ]
        indexes = [
            # The broker's queue: open assignments, earliest due (overdue) first.
            models.Index(
                fields=["broker", "due"],
                condition=models.Q(status="open"),
                name="assignment_broker_queue",
            ),
            # The centre's report: its assignments by broker.
            models.Index(fields=["centre", "broker"], name="assignment_centre_broker"),
        ]

    def __str__(self) -> str:
        return f"{self.broker} · {self.subject}"

    @property
    def subject(self):
        """The challenge or the interest assigned."""
        return self.challenge or self.interest

    @property
    def listing(self):
        """The challenge, or the listing the interest is in."""
        return self.challenge if self.challenge_id else self.interest.listing

    @property
    def kind(self) -> str:
        return "challenge" if self.challenge_id else "interest"

    @property
    def response_time(self):
        return self.done_at - self.created_at if self.done_at else None

    @property
    def response_days(self) -> float | None:
        """Days from assignment to done, to a tenth."""
        time = self.response_time
        return round(time.total_seconds() / 86400, 1) if time is not None else None

    @property
    def done_on_time(self) -> bool | None:
        if self.done_at is None:
            return None
        return timezone.localdate(self.done_at) <= self.due

"""Admin: durable work as read-only pages, with one action to try failed rows again.

``DurableWorkAdmin`` is the base of each kind's admin (events here, deliveries in
``notifications.admin``): the pages stay read-only, and the action calls
``services.work_resend``, for staff with the model's change permission.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.outbox.kinds import WorkKind
from marketplace.outbox.models import Event
from marketplace.outbox.services import EVENTS, work_resend


class DurableWorkAdmin(admin.ModelAdmin):
    """Read-only pages of one kind of durable work. A subclass names its ``work_kind``, its
    two messages and an action, decorated with its own description, that calls
    ``resend_failed``."""

    work_kind: ClassVar[WorkKind]
    # ngettext_lazy(…, "n"): "%(n)d … queued again." and "%(n)d … left alone."
    resent_message: ClassVar[str]
    left_alone_message: ClassVar[str]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        # The pages stay read-only; trying again needs the change permission.
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def resend_failed(self, request: HttpRequest, queryset: QuerySet) -> None:
        requested = queryset.count()
        n = work_resend(kind=self.work_kind, ids=queryset.values_list("pk", flat=True))
        self.message_user(request, self.resent_message % {"n": n}, messages.SUCCESS)
        if requested > n:
            self.message_user(
                request, self.left_alone_message % {"n": requested - n}, messages.WARNING
            )


@admin.register(Event)
class EventAdmin(DurableWorkAdmin):
    work_kind = EVENTS
    resent_message = ngettext_lazy("%(n)d event queued again.", "%(n)d events queued again.", "n")
    left_alone_message = ngettext_lazy(
        "%(n)d event was not failed and was left alone.",
        "%(n)d events were not failed and were left alone.",
        "n",
    )
    list_display = (
        "created_at",
        "kind",
        "payload",
        "status",
        "attempts",
        "handled_at",
        "last_error",
    )
    list_filter = ("status", "kind")
    search_fields = ("kind", "last_error")
    date_hierarchy = "created_at"
    fields = (
        "kind",
        "payload",
        "status",
        "attempts",
        "claimed_until",
        "created_at",
        "handled_at",
        "last_error",
    )
    actions = ["resend"]

    @admin.action(description=_("Run selected (failed) events again"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self.resend_failed(request, queryset)

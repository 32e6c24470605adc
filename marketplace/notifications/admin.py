"""Admin: what users were told, which emails went out, which failed (and sending those again).

Read-only apart from the re-send action, which calls the outbox's ``work_resend`` for
deliveries (``outbox.admin.DurableWorkAdmin``). A delivery's body is not shown: an
invitation link in it is for its addressee only.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.notifications.models import Delivery, Notification, Preference
from marketplace.notifications.services import DELIVERIES
from marketplace.outbox.admin import DurableWorkAdmin


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("Read")), ("no", _("Unread"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        return queryset


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(_ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "subject", "frequency", "read_at")
    list_filter = ("kind", ReadFilter, "frequency")
    list_select_related = ("recipient",)
    search_fields = ("recipient__email", "subject", "key")
    date_hierarchy = "created_at"
    fields = (
        "recipient",
        "kind",
        "key",
        "subject",
        "body",
        "link",
        "frequency",
        "delivery",
        "created_at",
        "read_at",
    )


@admin.register(Delivery)
class DeliveryAdmin(DurableWorkAdmin):
    work_kind = DELIVERIES
    resent_message = ngettext_lazy(
        "%(n)d delivery queued again.", "%(n)d deliveries queued again.", "n"
    )
    left_alone_message = ngettext_lazy(
        "%(n)d was not failed and was left alone.",
        "%(n)d were not failed and were left alone.",
        "n",
    )
    list_display = ("created_at", "key", "to", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("key", "to", "subject", "last_error")
    date_hierarchy = "created_at"
    fields = (
        "key",
        "channel",
        "recipient",
        "to",
        "subject",
        "status",
        "attempts",
        "claimed_until",
        "created_at",
        "sent_at",
        "last_error",
    )
    actions = ["resend"]

    @admin.action(description=_("Re-send selected (failed) deliveries"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        self.resend_failed(request, queryset)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "frequency")
    list_filter = ("kind", "frequency")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)

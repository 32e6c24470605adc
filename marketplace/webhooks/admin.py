"""Admin: endpoints and deliveries, read-only (never the secret); failed deliveries can be
sent again with the outbox's shared action."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.outbox.admin import DurableWorkAdmin
from marketplace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from marketplace.webhooks.services import WEBHOOK_DELIVERIES


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "organization", "is_active", "consecutive_failures", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "organization__name", "organization__name_en")
    exclude = ("secret",)
    readonly_fields = (
        "organization",
        "url",
        "description",
        "events",
        "is_active",
        "consecutive_failures",
        "disabled_at",
        "disabled_reason",
        "created_by",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("started_at", "duration_ms", "status_code", "succeeded", "error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(DurableWorkAdmin):
    work_kind = WEBHOOK_DELIVERIES
    resent_message = ngettext_lazy(
        "%(n)d delivery queued again.", "%(n)d deliveries queued again.", "n"
    )
    left_alone_message = ngettext_lazy(
        "%(n)d delivery was not failed and was left alone.",
        "%(n)d deliveries were not failed and were left alone.",
        "n",
    )
    list_display = ("created_at", "event_type", "endpoint", "status", "attempts", "last_error")
    list_filter = ("status", "event_type")
    search_fields = ("endpoint__url", "key", "last_error")
    list_select_related = ("endpoint",)
    date_hierarchy = "created_at"
    fields = (
        "endpoint",
        "event_type",
        "event_id",
        "key",
        "body",
        "status",
        "attempts",
        "claimed_until",
        "created_at",
        "delivered_at",
        "last_error",
    )
    inlines = [WebhookAttemptInline]
    actions = ["resend"]

    @admin.action(description=_("Send selected (failed) deliveries again"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        self.resend_failed(request, queryset)

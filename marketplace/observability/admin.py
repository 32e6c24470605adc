"""Admin: the workers' heartbeats, read-only. (Failed durable work — events, deliveries —
is listed, filtered and run again from the outbox's and notifications' admin pages.)"""

from django.contrib import admin
from django.http import HttpRequest

from marketplace.observability.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "seen_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

"""The broker ledger in admin: read-only, for support and for checking a centre's figures.
Assignments are made and closed on the site (``services``), never here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from marketplace.brokers.models import BrokerAssignment


@admin.register(BrokerAssignment)
class BrokerAssignmentAdmin(admin.ModelAdmin):
    list_display = ("pk", "centre", "broker", "challenge", "interest", "due", "status", "done_at")
    list_filter = ("status", "due", ("centre", admin.RelatedOnlyFieldListFilter))
    list_select_related = (
        "centre",
        "broker",
        "challenge",
        "interest__sender_organization",
        "interest__achievement",
        "interest__challenge",
    )
    search_fields = ("broker__email", "broker__full_name", "centre__name", "challenge__title")
    date_hierarchy = "due"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""The audit log in admin: superusers read it; nobody, superusers included, writes it."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from marketplace.audit.choices import AuditAction
from marketplace.audit.models import AuditEntry

# The fields that grant power: on accounts (staff, superuser, groups, permissions), on
# groups (their permissions) and on memberships (role and status).
POWER_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions", "permissions", "role"]


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class PowersFilter(admin.SimpleListFilter):
    """Entries that changed who may do what: the first thing a superuser looks for."""

    title = _("concerning")
    parameter_name = "concerning"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("powers", _("Permissions, groups and roles"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() != "powers":
            return queryset
        memberships = [
            AuditAction.MEMBERSHIP_GRANT,
            AuditAction.MEMBERSHIP_APPROVE,
            AuditAction.MEMBERSHIP_DECLINE,
        ]
        return queryset.filter(Q(changes__has_any_keys=POWER_FIELDS) | Q(action__in=memberships))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for superusers; hidden from every other staff member, whatever
    permissions they hold (a moderator must not read what other moderators did, nor learn
    who holds which powers)."""

    list_display = (
        "created_at",
        "actor_repr",
        "action",
        "target_type",
        "target_repr",
        "changed_fields",
    )
    list_filter = (
        PowersFilter,
        "action",
        ("target_type", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    list_select_related = ("target_type",)
    search_fields = ("actor_repr", "target_repr", "=target_id", "note", "=request_id")
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "actor_repr",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "changes_table",
        "note",
        "ip",
        "request_id",
    )
    readonly_fields = fields
    actions = None

    @admin.display(description=_("fields changed"))
    def changed_fields(self, entry: AuditEntry) -> str:
        return ", ".join(entry.changes)

    @admin.display(description=_("changes"))
    def changes_table(self, entry: AuditEntry) -> str:
        if not entry.changes:
            return "—"
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            ((name, _shown(pair[0]), _shown(pair[1])) for name, pair in entry.changes.items()),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("field"),
            _("before"),
            _("after"),
            rows,
        )

    def _superuser(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

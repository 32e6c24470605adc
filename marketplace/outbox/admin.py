from django.contrib import admin

from marketplace.outbox.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "payload", "handled_at", "attempts", "last_error")
    list_filter = ("kind", ("handled_at", admin.EmptyFieldListFilter))
    search_fields = ("kind", "last_error")
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

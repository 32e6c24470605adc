"""Admin of what surrounds listings: the technical fields, and the read-only records that
only the services write (attachments, status changes), with the inlines that show them on a
listing's moderation page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from marketplace.listings.kinds import Listing
from marketplace.listings.models import Attachment, ListingEvent, TechnicalField
from marketplace.listings.services import attachment_delete


class ListingEventInline(admin.TabularInline):
    """The listing's history, newest first; written only by the services."""

    model = ListingEvent
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ListingEvent]:
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ("title", "filename", "size_display", "is_confidential", "uploaded_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("file"))
    def filename(self, attachment: Attachment) -> str:
        return attachment.filename

    @admin.display(description=_("size"))
    def size_display(self, attachment: Attachment) -> str:
        return filesizeformat(attachment.size)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attachment]:
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TechnicalField)
class TechnicalFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "parent", "position")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("code", "name_zh", "name_en")
    autocomplete_fields = ("parent",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TechnicalField]:
        # The autocomplete answers use this too; each label names the parent.
        return super().get_queryset(request).select_related("parent")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the services write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "listing",
        "is_confidential",
        "size_display",
        "uploaded_by",
        "created_at",
    )
    list_filter = ("is_confidential", "created_at")
    list_select_related = ("achievement", "challenge", "uploaded_by")
    search_fields = ("title", "file", "achievement__title", "challenge__title")
    fields = (
        "title",
        "achievement",
        "challenge",
        "file",
        "is_confidential",
        "size_display",
        "uploaded_by",
        "created_at",
    )

    @admin.display(description=_("listing"))
    def listing(self, attachment: Attachment) -> Listing:
        return attachment.listing

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, attachment: Attachment) -> str:
        return filesizeformat(attachment.size)

    # Deleting goes through the service, which also removes the file once committed.
    def delete_model(self, request: HttpRequest, obj: Attachment) -> None:
        attachment_delete(attachment=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Attachment]) -> None:
        for attachment in queryset:
            attachment_delete(attachment=attachment, user=request.user)


@admin.register(ListingEvent)
class ListingEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "listing", "from_status", "to_status", "actor", "note")
    list_filter = ("to_status", "from_status", "created_at")
    list_select_related = ("achievement", "challenge", "actor")
    search_fields = ("achievement__title", "challenge__title", "note", "actor__email")
    date_hierarchy = "created_at"

    @admin.display(description=_("listing"))
    def listing(self, event: ListingEvent) -> Listing:
        return event.listing

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The history is the audit trail.
        return False

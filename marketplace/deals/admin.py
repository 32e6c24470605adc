"""The deals room in Django admin: read-only. Interests, conversations, messages, NDA
acceptances, deal stages and contracts are written only by ``services`` (the site's pages);
moderators browse and filter them here, e.g. to follow up an abuse report. Nothing can be
added, changed or deleted here: the records are the parties' audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat, truncatechars
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.deals.models import (
    Contract,
    Conversation,
    ConversationRead,
    Deal,
    DealEvent,
    Interest,
    Message,
    MessageAttachment,
    NdaAcceptance,
    PriceNotice,
    PriceObjection,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the services write."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _download_link(attachment: MessageAttachment) -> str:
    # Through the permission-checked view (moderators may read), never MEDIA_URL.
    url = reverse("deals:message_attachment_download", args=[attachment.pk])
    return format_html('<a href="{}">{}</a>', url, attachment.filename)


@admin.register(Interest)
class InterestAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "listing",
        "sender_organization",
        "purpose",
        "status",
        "decided_at",
    )
    list_filter = ("status", "purpose", "created_at")
    list_select_related = ("achievement", "challenge", "sender_organization")
    search_fields = (
        "achievement__title",
        "challenge__title",
        "sender_organization__name",
        "sender__email",
        "message",
    )
    date_hierarchy = "created_at"
    fields = (
        "achievement",
        "challenge",
        "match",
        "sender_organization",
        "sender",
        "purpose",
        "message",
        "status",
        "decided_by",
        "decided_at",
        "decline_reason",
        "created_at",
    )
    raw_id_fields = ("achievement", "challenge", "match")

    @admin.display(description=_("listing"))
    def listing(self, interest: Interest) -> str:
        return str(interest.listing)


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "sender", "sender_organization", "body")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        return super().get_queryset(request).select_related("sender", "sender_organization")


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "listing",
        "owner_organization",
        "other_organization",
        "stage",
        "last_message_at",
    )
    list_display_links = ("pk", "listing")
    list_filter = ("deal__stage", "last_message_at", "created_at")
    list_select_related = (
        "interest__achievement",
        "interest__challenge",
        "owner_organization",
        "other_organization",
        "deal",
    )
    search_fields = (
        "owner_organization__name",
        "other_organization__name",
        "interest__achievement__title",
        "interest__challenge__title",
    )
    date_hierarchy = "last_message_at"
    fields = ("interest", "owner_organization", "other_organization", "last_message_at")
    inlines = [MessageInline]

    @admin.display(description=_("listing"))
    def listing(self, conversation: Conversation) -> str:
        return str(conversation.interest.listing)

    @admin.display(description=_("stage"), ordering="deal__stage")
    def stage(self, conversation: Conversation) -> str:
        return conversation.deal.get_stage_display()


class MessageAttachmentInline(ReadOnlyInline):
    model = MessageAttachment
    fields = ("download", "size_display")
    readonly_fields = fields
    show_change_link = False

    @admin.display(description=_("file"))
    def download(self, attachment: MessageAttachment) -> str:
        return _download_link(attachment)

    @admin.display(description=_("size"))
    def size_display(self, attachment: MessageAttachment) -> str:
        return filesizeformat(attachment.size)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "conversation_id", "sender", "sender_organization", "start")
    list_filter = ("created_at",)
    list_select_related = ("sender", "sender_organization")
    search_fields = ("body", "sender__email", "sender_organization__name")
    date_hierarchy = "created_at"
    fields = ("conversation", "sender", "sender_organization", "body", "created_at")
    raw_id_fields = ("conversation",)
    inlines = [MessageAttachmentInline]

    @admin.display(description=_("message"))
    def start(self, message: Message) -> str:
        return truncatechars(message.body, 80)


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("download", "message_id", "conversation", "size_display")
    list_select_related = ("message",)
    search_fields = ("file",)
    fields = ("message", "download", "size_display")
    readonly_fields = ("download", "size_display")
    raw_id_fields = ("message",)

    @admin.display(description=_("file"))
    def download(self, attachment: MessageAttachment) -> str:
        return _download_link(attachment)

    @admin.display(description=_("conversation"))
    def conversation(self, attachment: MessageAttachment) -> int:
        return attachment.message.conversation_id

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, attachment: MessageAttachment) -> str:
        return filesizeformat(attachment.size)


@admin.register(ConversationRead)
class ConversationReadAdmin(ReadOnlyAdmin):
    list_display = ("conversation_id", "user", "read_at")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    raw_id_fields = ("conversation",)


@admin.register(NdaAcceptance)
class NdaAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ("accepted_at", "conversation_id", "organization", "accepted_by")
    list_filter = ("accepted_at",)
    list_select_related = ("organization", "accepted_by")
    search_fields = ("organization__name", "accepted_by__email")
    date_hierarchy = "accepted_at"
    fields = ("conversation", "organization", "accepted_by", "accepted_at", "text")
    raw_id_fields = ("conversation",)


class DealEventInline(ReadOnlyInline):
    model = DealEvent
    fields = ("created_at", "from_stage", "to_stage", "actor", "note")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[DealEvent]:
        return super().get_queryset(request).select_related("actor")


class ContractInline(ReadOnlyInline):
    model = Contract
    fields = ("contract_type", "value", "currency", "signed_on", "recorded_by")
    readonly_fields = fields


@admin.register(Deal)
class DealAdmin(ReadOnlyAdmin):
    list_display = ("pk", "conversation", "stage", "brokered_by", "updated_at")
    list_filter = ("stage", ("brokered_by", admin.EmptyFieldListFilter), "updated_at")
    list_select_related = (
        "conversation__interest__achievement",
        "conversation__interest__challenge",
        "conversation__owner_organization",
        "conversation__other_organization",
        "brokered_by",
    )
    search_fields = (
        "conversation__owner_organization__name",
        "conversation__other_organization__name",
        "lost_reason",
    )
    date_hierarchy = "updated_at"
    fields = ("conversation", "stage", "lost_reason", "brokered_by", "created_at", "updated_at")
    raw_id_fields = ("conversation",)
    inlines = [DealEventInline, ContractInline]


@admin.register(DealEvent)
class DealEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "deal_id", "from_stage", "to_stage", "actor", "note")
    list_filter = ("to_stage", "from_stage", "created_at")
    list_select_related = ("actor",)
    search_fields = ("note", "actor__email")
    date_hierarchy = "created_at"


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = (
        "signed_on",
        "contract_type",
        "value",
        "currency",
        "parties",
        "recorded_by",
    )
    list_filter = ("contract_type", "currency", "signed_on")
    list_select_related = (
        "deal__conversation__owner_organization",
        "deal__conversation__other_organization",
        "recorded_by",
    )
    search_fields = (
        "deal__conversation__owner_organization__name",
        "deal__conversation__other_organization__name",
    )
    date_hierarchy = "signed_on"
    raw_id_fields = ("deal",)

    @admin.display(description=_("parties"))
    def parties(self, contract: Contract) -> str:
        conversation = contract.deal.conversation
        return f"{conversation.owner_organization} ↔ {conversation.other_organization}"


class PriceObjectionInline(ReadOnlyInline):
    model = PriceObjection
    fields = ("created_at", "user", "reason")


@admin.register(PriceNotice)
class PriceNoticeAdmin(ReadOnlyAdmin):
    """The price notices (公示) and, inline, their objections, for moderators."""

    list_display = ("deal", "price", "currency", "announced_at", "ends_at")
    date_hierarchy = "announced_at"
    list_select_related = (
        "deal__conversation__owner_organization",
        "deal__conversation__other_organization",
        "deal__conversation__interest__achievement",
        "deal__conversation__interest__challenge",
    )
    inlines = [PriceObjectionInline]

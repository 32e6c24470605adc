"""Messages of a conversation, read marks, and telling the other organisation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from marketplace.deals.models import Conversation, ConversationRead, Message, MessageAttachment
from marketplace.deals.selectors import deal_actions, members_to_tell
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notifications_read_for_link, notify
from marketplace.refusals import Refused
from marketplace.uploads.content import content_type_of

MAX_FILES_PER_MESSAGE = 5


def _other_side(conversation: Conversation, organization: Organization) -> Organization:
    if organization.pk == conversation.owner_organization_id:
        return conversation.other_organization
    return conversation.owner_organization


def tell_other_side(
    conversation: Conversation,
    organization: Organization,
    *,
    key: str,
    template: str,
    context: dict[str, Any],
) -> None:
    """Tell the other organisation's members of what ``organization`` did in the
    conversation (a message, the NDA, a move of the deal), linking to the conversation."""
    notify(
        users=members_to_tell(_other_side(conversation, organization)),
        kind=NotificationKind.MESSAGE,
        link=conversation.get_absolute_url(),
        key=key,
        template=template,
        context={
            "conversation": conversation,
            "listing": conversation.interest.listing,
            "by": organization,
            "link": conversation.get_absolute_url(),
            **context,
        },
    )


def message_send(
    *,
    conversation: Conversation,
    user: User,
    body: str,
    files: Iterable[UploadedFile] = (),
) -> Message:
    """Post a message (text, files or both) for the user's organisation, and tell the other
    organisation's members. The files' size and type are checked by the form
    (``uploads.content.validate_attachment``); their content is checked again here, for free
    when the form did, so that no caller stores a file whose bytes were not looked at."""
    actions = deal_actions(user, conversation)
    actions.message.check()
    organization = actions.organization
    body = (body or "").strip()
    files = list(files)
    if not body and not files:
        raise Refused.bad_input(_("Write a message or attach a file."))
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise Refused.bad_input(
            files=_("Attach at most %(n)d files to one message.") % {"n": MAX_FILES_PER_MESSAGE}
        )
    content_types = [content_type_of(upload) for upload in files]
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation, sender=user, sender_organization=organization, body=body
        )
        for upload, content_type in zip(files, content_types, strict=True):
            attachment = MessageAttachment(
                message=message, size=upload.size or 0, content_type=content_type
            )
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
        # Never backwards: a slower concurrent message must not hide a newer one.
        Conversation.objects.filter(
            pk=conversation.pk, last_message_at__lt=message.created_at
        ).update(last_message_at=message.created_at)
        conversation_read(conversation=conversation, user=user, until=message.created_at)
        tell_other_side(
            conversation,
            organization,
            key=f"message:{message.pk}",
            template="message_received",
            context={
                "message": message,
                "files": [a.filename for a in message.attachments.all()],
            },
        )
    return message


def conversation_read(*, conversation: Conversation, user: User, until: datetime) -> None:
    """Mark the conversation read by the user up to ``until`` (the newest message they saw),
    and their notifications of it (new messages, NDA, deal moves) with it."""
    ConversationRead.objects.bulk_create(
        [ConversationRead(conversation=conversation, user=user, read_at=until)],
        update_conflicts=True,
        unique_fields=["conversation", "user"],
        update_fields=["read_at"],
    )
    notifications_read_for_link(user=user, link=conversation.get_absolute_url())

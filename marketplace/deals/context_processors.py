"""The navbar's unread-conversations badge."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketplace.deals.selectors import unread_conversation_count


def unread_conversations(request: HttpRequest) -> dict:
    """``conversations_unread`` for signed-in users: how many of their organisation's
    conversations have messages they have not read, counted (one query) only if a template
    shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"conversations_unread": SimpleLazyObject(lambda: unread_conversation_count(user))}

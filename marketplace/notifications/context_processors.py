"""The navbar bell's unread count."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketplace.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict:
    """``notifications_unread`` for signed-in users, counted (one query) only if a template
    shows it, so partial responses pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}

"""Template context every page needs: the visitor's active membership."""

from django.http import HttpRequest

from accounts.selectors import active_membership


def membership(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"membership": active_membership(user)}

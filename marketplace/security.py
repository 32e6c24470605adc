"""Response headers that Django's SecurityMiddleware and django-csp do not set, and the page
shown when a form fails its CSRF check."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy to every response, and ``Cache-Control: private, no-store`` to
    every response to a signed-in user: conversations, confidential files and dashboards must
    not stay in a shared proxy's cache nor in the browser's after logging out.

    Sits right after SecurityMiddleware, so it also sees the responses of the middlewares
    below it. Static files (whitenoise answers before authentication) have no ``user`` and
    keep their long cache lifetime.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Replaces what a view chose (e.g. a public page's max-age): it was chosen for
            # anonymous visitors.
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a translated page in the site's layout instead of Django's English
    one. The technical reason is logged by Django (django.security.csrf), not shown."""
    return render(
        request,
        "403_csrf.html",
        {"no_cookie": reason == REASON_NO_CSRF_COOKIE},
        status=403,
    )

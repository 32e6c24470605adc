"""How large a request's body may be, decided from its ``Content-Length`` before it is read.

Django reads a multipart body whole (into memory or temporary files) before a form can say
the file is too large, and ``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves files out. So
``UploadLimitMiddleware`` (placed before ``CsrfViewMiddleware``, whose check is the first
thing that reads ``request.POST``) looks at the view the address resolved to: a view that
takes files is marked ``@accepts_uploads(max_files=…, max_bytes=…)``; every other view has
the small default ``UPLOAD_DEFAULT_MAX_BYTES``. A longer body is answered 413, a multipart
body without a length 411, a length that is no number 400: bilingual pages, the body unread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])
# The view attribute that ``accepts_uploads`` sets (``functools.wraps`` carries it through
# ``login_required`` and the other decorators, in whichever order they are applied).
LIMIT_ATTRIBUTE = "upload_body_limit"
# Room in a multipart body beyond its files: boundaries, part headers and the form's other
# fields (a message's text of 10,000 characters is at most 40 KB in UTF-8).
MULTIPART_OVERHEAD = 256 * 1024


def accepts_uploads(
    *, max_files: int = 1, max_bytes: int | str | Callable[[], int] = "ATTACHMENT_MAX_BYTES"
) -> Callable[[ViewFunc], ViewFunc]:
    """Mark a view that takes up to ``max_files`` files of ``max_bytes`` each: its body may
    be that many files and ``MULTIPART_OVERHEAD`` long. ``max_bytes`` is a number, the name
    of a setting, or a function, read at each request (so settings can change in tests)."""

    def limit() -> int:
        if isinstance(max_bytes, str):
            per_file = getattr(settings, max_bytes)
        elif callable(max_bytes):
            per_file = max_bytes()
        else:
            per_file = max_bytes
        return max_files * int(per_file) + MULTIPART_OVERHEAD

    def decorate(view: ViewFunc) -> ViewFunc:
        setattr(view, LIMIT_ATTRIBUTE, limit)
        return view

    return decorate


def body_limit(view: Callable[..., Any]) -> int:
    """The most bytes a request to ``view`` may send."""
    limit = getattr(view, LIMIT_ATTRIBUTE, None)
    if limit is None:
        return settings.UPLOAD_DEFAULT_MAX_BYTES
    return limit()


class UploadLimitMiddleware:
    """Refuse a body longer than its view takes, from the headers alone (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        raw_length = (request.META.get("CONTENT_LENGTH") or "").strip()
        if not raw_length:
            # Without a length a multipart (or chunked) body could only be measured by
            # reading it; WSGI servers hand Django such a body as if it were empty anyway.
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            if chunked or request.content_type.startswith("multipart/"):
                return _refusal(request, 411, limit=body_limit(view))
            return None
        if not raw_length.isdigit():
            return _refusal(request, 400, limit=body_limit(view))
        limit = body_limit(view)
        if int(raw_length) > limit:
            return _refusal(request, 413, limit=limit)
        return None


def _refusal(request: HttpRequest, status: int, *, limit: int) -> HttpResponse:
    """A small page in both languages: it is rendered before the session, the user and the
    context processors exist (they come later in the chain), so it stands alone."""
    megabytes = max(1, round(limit / (1024 * 1024)))
    page = render_to_string(f"uploads/{status}.html", {"mb": megabytes, "status": status})
    # No "Connection: close" here: a WSGI application may not set hop-by-hop headers; the
    # server (gunicorn, a proxy) closes a connection whose body was left unread.
    return HttpResponse(page, status=status)

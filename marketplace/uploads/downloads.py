"""The one way a stored file is served: as a download, never shown by the browser.

Listing and message attachments come from other organisations: a browser must not render
them in the site's origin (``Content-Disposition: attachment``, ``nosniff`` so that it does
not guess a type), and neither it nor a proxy may keep a copy (``private, no-store``).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

# What a file from before content types were stored is served as.
UNKNOWN_CONTENT_TYPE = "application/octet-stream"


def content_disposition(filename: str) -> str:
    """``attachment`` with the name twice (RFC 6266): an ASCII ``filename`` for old clients
    and the exact UTF-8 name as ``filename*`` (RFC 5987), which every current browser reads.
    Quotes, backslashes and control characters never reach the header."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in fallback)
    fallback = fallback.strip() or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """Serve ``file`` for download (404 if it is gone from storage)."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type or UNKNOWN_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response

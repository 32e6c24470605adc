"""Filters of the site's log records (wired in ``settings.LOGGING``)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class ForbiddenInOneLine(logging.Filter):
    """A 403 is the site working as meant (someone asked for what they may not do): log it
    as one line with its reason, not with the traceback Django attaches to every
    ``PermissionDenied``. Tracebacks of real errors are left alone."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.exc_info[1] is None:
            return True
        # Imported here: logging is configured before the apps (and forms) are loaded.
        from marketplace.refusals import Refused

        exc = record.exc_info[1]
        forbidden = isinstance(exc, PermissionDenied) or (
            isinstance(exc, Refused) and exc.status == Refused.FORBIDDEN
        )
        if not forbidden and getattr(record, "status_code", None) != 403:
            return True
        reason = " ".join(str(exc).split())
        message = record.getMessage()
        record.msg = f"{message} ({type(exc).__name__}: {reason})" if reason else message
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        return True

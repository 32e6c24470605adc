"""One way to say no: every service raises ``Refused``; views turn it into a message.

A service refuses when the input, the person or the state of things does not allow what was
asked. It raises ``Refused`` before it changes anything (or inside the transaction that the
exception rolls back), with a sentence the person can read, in their language. ``status``
is the HTTP status that fits: 400 for bad input (``fields`` then names the form fields at
fault), 403 for what this person may not do, 404 for what they may not even see, 409 for
what the current state does not allow (a double click, a listing already published).

Views call services through ``attempt`` (a refused action becomes an error message on the
page the view goes back to) or, where a form is shown again, ``refused_form`` (the reasons
land on the form's fields and the page is answered with the refusal's status). Programming
errors (an unknown notification kind, a field no owner may write) stay ``ValueError``: they
must fail loudly, not be shown to people.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest


class Refused(Exception):
    """What was asked is not allowed; nothing changed. ``message`` is for the person."""

    BAD_INPUT = HTTPStatus.BAD_REQUEST
    FORBIDDEN = HTTPStatus.FORBIDDEN
    NOT_FOUND = HTTPStatus.NOT_FOUND
    CONFLICT = HTTPStatus.CONFLICT

    def __init__(
        self,
        message: Any = "",
        *,
        status: int = HTTPStatus.CONFLICT,
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        fields = dict(fields or {})
        if not message and fields:
            message = next(iter(fields.values()))
        super().__init__(message)
        self.message = message
        self.status = int(status)
        self.fields = fields

    def __str__(self) -> str:
        return str(self.message)

    @classmethod
    def bad_input(cls, message: Any = "", **fields: Any) -> Refused:
        """Bad input, optionally by form field: ``Refused.bad_input(note=_("Say why."))``."""
        return cls(message, status=cls.BAD_INPUT, fields=fields)

    @classmethod
    def forbidden(cls, message: Any) -> Refused:
        return cls(message, status=cls.FORBIDDEN)

    def messages(self) -> list[str]:
        """Every sentence of the refusal: the field messages, or the message."""
        if self.fields:
            return [str(m) for m in self.fields.values()]
        return [str(self.message)]


def attempt(request: HttpRequest, action: Callable[..., Any], success: str = "", **kwargs) -> bool:
    """Call a service for a request: on success show ``success`` (if any) and return True;
    when it is refused, show why and return False. Either way the view answers as it would
    (usually a redirect back to the page the action was taken from)."""
    try:
        action(**kwargs)
    except Refused as refusal:
        for text in refusal.messages():
            messages.error(request, text)
        return False
    if success:
        messages.success(request, success)
    return True


def refused_form(form: forms.BaseForm, refusal: Refused) -> int:
    """Put a refusal's reasons on a form (on its fields where they name one, else above the
    form) and return the status to answer the page with."""
    if refusal.fields:
        for name, text in refusal.fields.items():
            form.add_error(name if name in form.fields else None, str(text))
    else:
        form.add_error(None, str(refusal.message))
    return refusal.status

"""Telling people things.

The lowest room of the house: it knows recipients (an address and a language), templates
and links, nothing of listings or deals. Every email is rendered in the recipient's language
inside the caller's transaction and handed to Celery only after that transaction commits, so
a rolled-back decision never sends mail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.notifications.tasks import email_deliver


def email_render(*, template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """Render ``emails/<template>_subject.txt`` and ``emails/<template>.txt`` in a language."""
    full_context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", full_context)
        body = render_to_string(f"emails/{template}.txt", full_context)
    return " ".join(subject.split()), body.strip() + "\n"


def email_send(*, to: str, language: str, template: str, context: dict[str, Any]) -> None:
    """Send one email after the current transaction commits."""
    subject, body = email_render(template=template, context=context, language=language)
    email_deliver.delay_on_commit(to=to, subject=subject, body=body)


def notify(
    *, users, kind: str, template: str, context: dict[str, Any], link: str = "", key: str = ""
) -> None:
    """Tell users about something, each in their own language: the one entry point for
    every notification kind (``choices.NotificationKind``).

    ``template`` names ``emails/<template>_subject.txt`` and ``emails/<template>.txt``;
    ``link`` is the site path the notification points to; ``key`` identifies the event
    (``"match:12"``) so that notifying the same user of the same event again does nothing.
    Call it inside the transaction of the event: nothing leaves before that commits.
    """
    email_users(users=users, template=template, context=context)


def email_users(*, users, template: str, context: dict[str, Any]) -> None:
    """Send the same email to each user, each in their own preferred language."""
    for user in users:
        email_send(
            to=user.email,
            language=user.preferred_language,
            template=template,
            context={**context, "recipient": user},
        )

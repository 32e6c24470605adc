"""Telling people things: notifications in the caller's transaction, and their emails.

``notify()`` writes, in the caller's transaction, one ``Notification`` per recipient
(rendered in the recipient's language) and, for those who want email about that kind
immediately, one ``Delivery``; the deliveries are queued only after that transaction
commits, so a rolled-back decision tells nobody (sending them: ``delivery``). Daily and
weekly digests are deliveries that the digest tasks create later (``digests``).
``email_send`` emails an address that may have no account through the same deliveries;
``email_send_secret`` sends what must never be stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from marketplace.celery import app, enqueue_after_commit
from marketplace.notifications.choices import Frequency, NotificationKind
from marketplace.notifications.models import Delivery, Notification
from marketplace.notifications.selectors import frequencies_for
from marketplace.notifications.services.delivery import deliveries_queue

EMAIL_DELIVER_TASK = "marketplace.notifications.tasks.email_deliver"


# --- Rendering -------------------------------------------------------------------------------


def email_render(*, template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """Render ``emails/<template>_subject.txt`` and ``emails/<template>.txt`` in a language."""
    full_context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", full_context)
        body = render_to_string(f"emails/{template}.txt", full_context)
    return " ".join(subject.split()), body.strip() + "\n"


def _footer(language: str) -> str:
    """The line under each notification email that says where to change how often."""
    with translation.override(language):
        return render_to_string(
            "emails/notification_footer.txt", {"site_url": settings.SITE_URL}
        ).strip()


def is_local_path(link: str) -> bool:
    """A path on this site (``/achievements/3/``), not another site or a scheme."""
    return (
        link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    )


# --- Notifying -------------------------------------------------------------------------------


def notify(
    *,
    users: Iterable,
    kind: str,
    template: str,
    context: dict[str, Any],
    link: str = "",
    key: str = "",
) -> list[Notification]:
    """Tell users about something, each in their own language: the one entry point for
    every notification kind (``choices.NotificationKind``).

    ``template`` names ``emails/<template>_subject.txt`` and ``emails/<template>.txt``;
    ``link`` is the site path the notification points to; ``key`` identifies the event
    (``"match:12"``) so that notifying the same user of the same event again does nothing.
    Call it inside the transaction of the event: nothing leaves before that commits.
    Returns the notifications written (none for users told already or inactive).
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if link and not is_local_path(link):
        raise ValueError(f"A notification links to a path on this site, not {link!r}")
    recipients = list({u.pk: u for u in users if u.is_active}.values())
    if not recipients:
        return []
    with transaction.atomic():
        if key:
            told = set(
                Notification.objects.filter(key=key, recipient__in=recipients).values_list(
                    "recipient_id", flat=True
                )
            )
            recipients = [u for u in recipients if u.pk not in told]
        frequencies = frequencies_for(users=recipients, kind=kind)
        notifications = []
        for user in recipients:
            subject, body = email_render(
                template=template,
                context={**context, "recipient": user},
                language=user.preferred_language,
            )
            notifications.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    key=key,
                    subject=subject[:300],
                    body=body,
                    link=link,
                    frequency=frequencies[user.pk],
                )
            )
        notifications = _insert_once(notifications)
        _deliver_immediately([n for n in notifications if n.frequency == Frequency.IMMEDIATELY])
    return notifications


def _insert_once(notifications: list[Notification]) -> list[Notification]:
    """Insert the notifications, leaving out any whose (recipient, key) a concurrent twin of
    this event inserted meanwhile; return the ones inserted."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(notifications)
    except IntegrityError:
        if not notifications[0].key:
            raise  # without a key nothing can conflict: this is a bug
    inserted = []
    for notification in notifications:
        notification.pk = None
        notification._state.adding = True
        try:
            with transaction.atomic():
                notification.save(force_insert=True)
        except IntegrityError:
            continue
        inserted.append(notification)
    return inserted


def _deliver_immediately(notifications: list[Notification]) -> None:
    """One email per notification, written now and queued after commit."""
    if not notifications:
        return
    footers: dict[str, str] = {}
    deliveries = []
    for n in notifications:
        language = n.recipient.preferred_language
        if language not in footers:
            footers[language] = _footer(language)
        deliveries.append(
            Delivery(
                key=f"notification:{n.pk}",
                recipient=n.recipient,
                to=n.recipient.email,
                subject=n.subject,
                body=f"{n.body}\n-- \n{footers[language]}\n",
            )
        )
    deliveries = Delivery.objects.bulk_create(deliveries)
    for notification, delivery in zip(notifications, deliveries, strict=True):
        notification.delivery = delivery
    Notification.objects.bulk_update(notifications, ["delivery"])
    deliveries_queue(deliveries)


def email_send(
    *, to: str, language: str, template: str, context: dict[str, Any], key: str = ""
) -> Delivery:
    """Email an address that may have no account (an invitation), through the same
    reliable deliveries as notifications; queued after the current transaction commits.

    Not for emails that carry a secret such as a password-reset link: those would be
    stored in the database and shown in admin; use ``email_send_secret``.
    """
    subject, body = email_render(template=template, context=context, language=language)
    with transaction.atomic():
        delivery = Delivery.objects.create(
            key=key or f"email:{template}:{uuid.uuid4().hex}",
            to=to,
            subject=subject[:300],
            body=body,
        )
        deliveries_queue([delivery])
    return delivery


def email_send_secret(*, to: str, language: str, template: str, context: dict[str, Any]) -> None:
    """Email something that must not be stored (a password-reset link) after commit.

    It never becomes a ``Delivery`` row, so it is not relayed if the broker is down; the
    person who asked can simply ask again.
    """
    subject, body = email_render(template=template, context=context, language=language)
    # Looked up by name: the tasks module imports the services, not the other way round.
    enqueue_after_commit(app.tasks[EMAIL_DELIVER_TASK], (to, subject, body))

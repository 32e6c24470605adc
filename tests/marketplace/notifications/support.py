"""Helpers of the notification tests."""

from __future__ import annotations

import os
import smtplib

from django.core.mail.backends.base import BaseEmailBackend

from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify


def tell(
    users,
    *,
    title: str = "Something",
    key: str = "",
    kind=NotificationKind.MATCH_FOUND,
    link: str = "/achievements/1/",
):
    """notify() with the test template."""
    return notify(
        users=users,
        kind=kind,
        template="test_event",
        context={"title": title},
        link=link,
        key=key,
    )


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message; counts the tries (reset by the tests)."""

    tries = 0

    def send_messages(self, email_messages):
        type(self).tries += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed: 421 try later")


REFUSING_BACKEND = f"{__name__}.RefusingBackend"


class StallingBackend(BaseEmailBackend):
    """A mail server for a worker in another process, which the test kills mid-send.

    The first message stalls, ``before`` or ``after`` the server has taken it
    (``KEQIAO_TEST_STALL``), once the process has announced its pid in Redis; the test kills
    the process meanwhile. Every message the server takes is recorded in Redis.
    """

    def send_messages(self, email_messages):
        import redis

        r = redis.Redis.from_url(os.environ["KEQIAO_TEST_REDIS"])
        key = os.environ["KEQIAO_TEST_KEY"]
        stall = r.set(f"{key}:stalled", os.getpid(), nx=True)
        if stall and os.environ["KEQIAO_TEST_STALL"] == "before":
            r.blpop([f"{key}:never"], timeout=60)  # a hung server: killed during this
        for message in email_messages:
            r.rpush(f"{key}:taken", message.extra_headers["Message-ID"])
        if stall and os.environ["KEQIAO_TEST_STALL"] == "after":
            r.blpop([f"{key}:never"], timeout=60)  # taken, but the worker dies before it says so
        return len(email_messages)


STALLING_BACKEND = f"{__name__}.StallingBackend"

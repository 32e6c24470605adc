"""Telling people things, and getting the emails out exactly once where we can.

The lowest domain room of the house: it knows recipients (an address and a language),
templates and links, nothing of listings or deals. By concept:

- ``notify``: ``notify()``, the one entry point of every notification kind, and
  ``email_send`` / ``email_send_secret`` for addresses without an account;
- ``delivery``: sending a ``Delivery`` (durable work of the outbox), exactly once but for
  one documented gap, with a stable Message-ID;
- ``digests``: the daily and weekly digests;
- ``preferences`` and ``reading``: how often each user wants email; marking read.

Callers import from here (``from marketplace.notifications.services import notify``).
"""

from marketplace.notifications.services.delivery import (
    DELIVERIES,
    DeliveryRetry,
    _message_id,  # bench/notify.py checks what went out by it
    deliveries_abandoned_fail,
    deliveries_due,
    deliveries_queue,
    deliveries_resend,
    delivery_send,
    retry_delay,
)
from marketplace.notifications.services.digests import (
    DIGEST_FREQUENCIES,
    DIGEST_MAX_ITEMS,
    digest_period_start,
    digests_send,
)
from marketplace.notifications.services.notify import (
    email_render,
    email_send,
    email_send_secret,
    is_local_path,
    notify,
)
from marketplace.notifications.services.preferences import preferences_update
from marketplace.notifications.services.reading import (
    notification_read,
    notifications_read_all,
    notifications_read_for_link,
)

__all__ = [
    "DELIVERIES",
    "DIGEST_FREQUENCIES",
    "DIGEST_MAX_ITEMS",
    "DeliveryRetry",
    "_message_id",
    "deliveries_abandoned_fail",
    "deliveries_due",
    "deliveries_queue",
    "deliveries_resend",
    "delivery_send",
    "digest_period_start",
    "digests_send",
    "email_render",
    "email_send",
    "email_send_secret",
    "is_local_path",
    "notification_read",
    "notifications_read_all",
    "notifications_read_for_link",
    "notify",
    "preferences_update",
    "retry_delay",
]

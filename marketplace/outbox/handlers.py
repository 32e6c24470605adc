"""Which code handles which kind of event.

Rooms register their handlers when Django starts (in their ``AppConfig.ready``), so a lower
room can announce ``listing.published`` without importing the rooms that act on it.
Handlers take the event's payload and must be idempotent: an event may be handled twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

Handler = Callable[[dict], None]

_handlers: dict[str, list[Handler]] = defaultdict(list)
_background: set[str] = set()


def register(kind: str, *, background: bool = False) -> Callable[[Handler], Handler]:
    """Run ``handler(payload)`` for each event of ``kind``. ``background``: its work is slow
    (embedding a text), so without a broker it runs in a thread of the process after the
    response, not in the request that recorded the event (``enqueue_after_commit``)."""

    def decorator(handler: Handler) -> Handler:
        if handler not in _handlers[kind]:
            _handlers[kind].append(handler)
        if background:
            _background.add(kind)
        return handler

    return decorator


def in_background(kind: str) -> bool:
    return kind in _background


def handlers_for(kind: str) -> list[Handler]:
    return list(_handlers.get(kind, []))

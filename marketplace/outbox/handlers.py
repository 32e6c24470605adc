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


def register(kind: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        if handler not in _handlers[kind]:
            _handlers[kind].append(handler)
        return handler

    return decorator


def handlers_for(kind: str) -> list[Handler]:
    return list(_handlers.get(kind, []))

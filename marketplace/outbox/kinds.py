"""The kinds of durable work the outbox looks after, and the Celery task that does each.

A ``WorkKind`` names a ``DurableWork`` model and the settings of its attempts, backoff and
lease. The room that owns the kind registers it with its task when Django starts
(``AppConfig.ready``): services queue work through this registry (``services.work_enqueue``)
and never import the tasks that do it, and the one relay (``tasks.relay``) finds every kind
here. Adding a kind, webhooks say, takes a few lines:

1. a model ``Webhook(DurableWork)`` with ``DONE``, ``finished_field`` and its own fields;
2. ``WEBHOOKS = WorkKind(name="webhook", model=Webhook, max_attempts_setting=…, …)``;
3. a service that claims (``work_claim``), sends, then ``work_done`` or ``work_failed``, and
   a task taking an id that calls it (``tasks.retry_later`` when the try may be retried);
4. ``kinds.register(WEBHOOKS, task=tasks.webhook_send)`` in the app's ``ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from marketplace.outbox.models import DurableWork


@dataclass(frozen=True)
class WorkKind:
    """How one kind of durable work is tried: its model and the names of its settings.

    The settings are read when used, so a changed setting (a test's) applies at once.
    ``relay_after_seconds`` leaves a new row to the message queued at commit that long
    before the relay queues it again.
    """

    name: str
    model: type[DurableWork]
    max_attempts_setting: str
    backoff_setting: str
    claim_setting: str
    relay_after_seconds: int = 60

    @property
    def max_attempts(self) -> int:
        return getattr(settings, self.max_attempts_setting)

    @property
    def backoff_seconds(self) -> float:
        return getattr(settings, self.backoff_setting)

    @property
    def claim_seconds(self) -> float:
        return getattr(settings, self.claim_setting)


_registered: dict[str, tuple[WorkKind, Any]] = {}


def register(kind: WorkKind, *, task: Any) -> None:
    """Have ``task`` (a Celery task taking the row's id) do the work of ``kind``."""
    _registered[kind.name] = (kind, task)


def registered() -> list[tuple[WorkKind, Any]]:
    """Every registered kind with its task, in the order they were registered."""
    return list(_registered.values())


def task_for(kind: WorkKind) -> Any:
    try:
        return _registered[kind.name][1]
    except KeyError:
        raise LookupError(
            f"No task is registered for the durable work {kind.name!r}: register one in the "
            "AppConfig.ready() of its app"
        ) from None

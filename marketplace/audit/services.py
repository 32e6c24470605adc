"""Writing the audit log: one call, ``audit_record``, made inside the caller's transaction
so that the entry and the change it records commit or roll back together."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from marketplace.audit.models import AuditEntry
from marketplace.audit.values import Changes, Snapshot, diff, values_of


@dataclass(frozen=True)
class _Origin:
    ip: str | None
    request_id: str


# Where the current work came from; set by the admin site around each of its views, so
# that services called from admin need no request argument to say it.
_origin: ContextVar[_Origin | None] = ContextVar("audit_origin", default=None)
# The objects recorded since ``audit_collect`` began (an admin action looks at it so as not
# to record twice what a service it called has recorded already).
_recorded: ContextVar[set[tuple[int, str]] | None] = ContextVar("audit_recorded", default=None)


def _client_ip(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _request_id(request: HttpRequest) -> str:
    # An id another layer gave the request (observability), else one a proxy sent.
    given = getattr(request, "request_id", None) or request.headers.get("X-Request-ID", "")
    return str(given)[:64]


@contextmanager
def audit_origin(request: HttpRequest) -> Iterator[None]:
    """Entries recorded inside carry the request's client address and id."""
    token = _origin.set(_Origin(ip=_client_ip(request), request_id=_request_id(request)))
    try:
        yield
    finally:
        _origin.reset(token)


@contextmanager
def audit_collect() -> Iterator[set[tuple[int, str]]]:
    """Yield the set of (content type id, object id) recorded inside the block."""
    recorded: set[tuple[int, str]] = set()
    token = _recorded.set(recorded)
    try:
        yield recorded
    finally:
        _recorded.reset(token)


def audit_key(obj: models.Model) -> tuple[int, str]:
    return ContentType.objects.get_for_model(obj).pk, str(obj.pk)


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: Changes | None = None,
    before: Snapshot | None = None,
    note: str = "",
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``target``.

    Give either ``changes`` (``{field: [before, after]}``) or ``before``, the values of some
    fields taken (with ``values_of``) before the change: the same fields are read again
    from ``target`` now and only those that differ are kept. ``actor`` is None for the
    system (a scheduled task).
    """
    if before is not None:
        changes = diff(before, values_of(target, before))
    origin = _origin.get()
    content_type = ContentType.objects.get_for_model(target)
    if actor is not None and not getattr(actor, "pk", None):
        actor = None  # an anonymous user is nobody to name
    entry = AuditEntry.objects.create(
        actor=actor,
        actor_repr=actor.get_username() if actor is not None else "",
        action=action,
        target_type=content_type,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        changes=changes or {},
        note=note,
        ip=origin.ip if origin else None,
        request_id=origin.request_id if origin else "",
    )
    recorded = _recorded.get()
    if recorded is not None:
        recorded.add((content_type.pk, str(target.pk)))
    return entry

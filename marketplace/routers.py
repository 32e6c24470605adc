"""Read-only reports on a streaming replica, and nothing else there.

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database alias. Reads go to
it only inside an explicit ``replica_reads()`` block (the dashboard's selectors use one),
never by default: a replica lags the primary by a moment, and the rest of the site must read
what it has just written (a listing saved, then shown). Writes, and any read inside a
transaction on the primary, always stay on the primary. Without a replica the block changes
nothing, so the code is the same on one machine and on many.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"

# A context variable, not a thread-local or a global: each request thread (and each async
# task) has its own, so one report never sends another request's reads to the replica.
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Send the reads of the block to the replica, if there is one (also a decorator)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in settings.DATABASES


class ReplicaRouter:
    """Reads inside ``replica_reads()`` to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        if (
            _replica_reads.get()
            and replica_configured()
            # Inside a transaction on the primary a read must see the transaction's own
            # writes, which the replica has not got.
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same data: an object read from the replica may be related
        # to one read from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # A streaming replica is read-only and receives the schema from the primary.
        return db == DEFAULT_DB_ALIAS

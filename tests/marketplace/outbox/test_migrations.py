"""The migration that gave events a status keeps what existing events meant."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from marketplace.outbox.models import Event

BEFORE = [("outbox", "0001_initial")]
AFTER = [("outbox", "0002_event_status")]


# Committed rows, as the real-worker tests have, and restored the way they expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_keep_their_meaning_when_they_get_a_status(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 8
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        OldEvent = executor.loader.project_state(BEFORE).apps.get_model("outbox", "Event")
        handled = OldEvent.objects.create(kind="k", handled_at=timezone.now(), attempts=1)
        waiting = OldEvent.objects.create(kind="k", attempts=2, last_error="OSError: down")
        looping = OldEvent.objects.create(
            kind="k", attempts=40, last_error="KeyError: 'id'", claimed_until=timezone.now()
        )
        worker_died = OldEvent.objects.create(kind="k", attempts=9, claimed_until=timezone.now())

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    status = dict(Event.objects.values_list("pk", "status"))
    assert status == {
        handled.pk: "done",
        waiting.pk: "pending",
        # Relayed forever before the cap: failed, with its error, for admin to run again.
        looping.pk: "failed",
        # No error to show: the relay's abandoned sweep says what happened.
        worker_died.pk: "pending",
    }
    failed = Event.objects.get(pk=looping.pk)
    assert (failed.last_error, failed.claimed_until) == ("KeyError: 'id'", None)

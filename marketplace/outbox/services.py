"""Durable after-commit work: one set of rules for every kind, and the outbox's events.

Every kind of durable work (``Event`` here, ``notifications.Delivery``; see ``kinds``) is
tried by the same functions:

- ``work_claim``: a conditional UPDATE takes the row if it is pending, nobody holds it (or
  the hold ran out) and it has attempts left; it counts the attempt and holds the row for
  the lease. A duplicate message, a retry racing the relay or a second worker finds nothing.
- ``work_claim_batch``: the same claim for a row and up to a batch of other due rows at
  once (one ``UPDATE … RETURNING``, the others ``SKIP LOCKED``), for kinds that are cheaper
  done together (emails over one SMTP connection); ``work_release`` gives back the rows a
  batch did not get to, without spending their attempt.
- ``work_done``: the row is done (sent, handled) and keeps that time.
- ``work_failed``: the try failed. The row is held until its next try is due (backoff
  doubling from the kind's setting, at most an hour) or, on its last attempt, marked failed.
- ``work_abandoned_fail``: rows whose last attempt's worker died (the hold ran out with no
  attempts left) are marked failed.
- ``work_due``: what the relay queues again: pending rows nobody holds whose first message
  must have been lost (older than the kind's ``relay_after_seconds``) or whose retry is due.
- ``work_resend``: failed rows go back to pending with a fresh set of attempts (admin).
- ``work_retry_in`` and ``work_next_due``: when one row, or anything pending of a kind, may
  be tried next (for the tasks' retries and the in-process relay).

A failed row stays failed: only a person runs it again. Nothing here imports a task: work is
queued through the task each kind registered (``work_enqueue``).

Events: a service records one (``event_record``) in the transaction of the change it
announces; after commit ``tasks.event_dispatch`` runs ``event_handle``, which runs every
handler registered for its kind (``handlers``). Handlers are idempotent: an event whose
worker died after its handlers ran is handled again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Case, F, Min, Q, TextField, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from marketplace.celery import enqueue_after_commit
from marketplace.outbox.handlers import handlers_for, in_background
from marketplace.outbox.kinds import WorkKind, task_for
from marketplace.outbox.models import DurableWork, Event

logger = logging.getLogger(__name__)

RETRY_BACKOFF_MAX_SECONDS = 3600
ABANDONED = "The worker of the last attempt stopped before it finished."

EVENTS = WorkKind(
    name="event",
    model=Event,
    max_attempts_setting="OUTBOX_MAX_ATTEMPTS",
    backoff_setting="OUTBOX_RETRY_BACKOFF_SECONDS",
    claim_setting="OUTBOX_CLAIM_SECONDS",
)


class WorkRetry(Exception):
    """A try failed and the next one is due in ``countdown`` seconds."""

    def __init__(self, *, countdown: float, error: str) -> None:
        super().__init__(error)
        self.countdown = countdown


def error_text(exc: BaseException) -> str:
    """What ``last_error`` keeps of an exception."""
    return f"{type(exc).__name__}: {exc}"[:2000]


# --- The shared rules ------------------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    return Q(status=DurableWork.PENDING) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def work_claim(*, kind: WorkKind, pk: int) -> DurableWork | None:
    """Take the row for one try, or None when there is nothing to do (done or failed
    already, held by another worker or until its next try, or out of attempts).

    The returned row's ``claimed_until`` is this claim's lease: ``work_failed`` changes the
    row only while that is still so.
    """
    now = timezone.now()
    claimed = kind.model.objects.filter(
        _claimable(now), pk=pk, attempts__lt=kind.max_attempts
    ).update(
        claimed_until=now + timedelta(seconds=kind.claim_seconds),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return kind.model.objects.get(pk=pk)


def work_claim_batch(*, kind: WorkKind, pk: int, limit: int) -> list[DurableWork]:
    """Take row ``pk`` and up to ``limit - 1`` other due rows of the kind for one try each,
    in one conditional ``UPDATE … RETURNING``; the rows taken (``pk`` among them only if it
    was claimable), oldest first.

    The same rules as ``work_claim`` (pending, not held, attempts left), so a duplicate
    message or a second worker still finds nothing to do; the others are picked with
    ``SKIP LOCKED`` so that two workers batching at once take different rows instead of
    waiting for each other. A row taken here whose own message comes later finds it done.
    """
    model = kind.model
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    claimable = (
        "status = %(pending)s AND (claimed_until IS NULL OR claimed_until <= %(now)s) "
        "AND attempts < %(max)s"
    )
    # The outer WHERE repeats the rule: under READ COMMITTED a row another worker changed
    # after the inner SELECT saw it is re-checked against it before it is updated.
    # Only the quoted table name is formatted in; every value is a parameter.
    sql = f"""
        WITH own AS (
            SELECT id FROM {table} WHERE id = %(pk)s AND {claimable} FOR UPDATE SKIP LOCKED
        ), others AS (
            SELECT id FROM {table} WHERE {claimable} AND id <> %(pk)s
            ORDER BY created_at, id LIMIT %(more)s FOR UPDATE SKIP LOCKED
        )
        UPDATE {table} SET claimed_until = %(until)s, attempts = attempts + 1
        WHERE id IN (SELECT id FROM own UNION ALL SELECT id FROM others) AND {claimable}
        RETURNING *
    """  # noqa: S608
    now = timezone.now()
    params = {
        "pk": pk,
        "pending": DurableWork.PENDING,
        "now": now,
        "max": kind.max_attempts,
        "more": max(limit - 1, 0),
        "until": now + timedelta(seconds=kind.claim_seconds),
    }
    rows = list(model.objects.raw(sql, params))
    rows.sort(key=lambda row: (row.created_at, row.pk))
    return rows


def work_release(*, kind: WorkKind, items: Iterable[DurableWork], until: datetime | None) -> int:
    """Give back claimed rows that were not tried (their batch stopped before them): the
    claim's attempt is returned and the rows are held until ``until`` (None: due now).
    Only rows still under this claim; returns how many."""
    released = 0
    for item in items:
        released += kind.model.objects.filter(
            pk=item.pk, status=DurableWork.PENDING, claimed_until=item.claimed_until
        ).update(claimed_until=until, attempts=F("attempts") - 1)
    return released


def work_done(*, kind: WorkKind, item: DurableWork) -> bool:
    """Mark a claimed row done now; False if it was not pending any more."""
    return bool(
        kind.model.objects.filter(pk=item.pk, status=DurableWork.PENDING).update(
            status=kind.model.DONE,
            claimed_until=None,
            last_error="",
            **{kind.model.finished_field: timezone.now()},
        )
    )


def work_retry_delay(*, kind: WorkKind, attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed try: the kind's backoff setting,
    doubled for each further try, at most an hour."""
    return min(kind.backoff_seconds * 2 ** max(attempts - 1, 0), RETRY_BACKOFF_MAX_SECONDS)


def work_failed(*, kind: WorkKind, item: DurableWork, error: str) -> float | None:
    """Record a failed try of a claimed row. Returns the seconds until its next try, for
    which the row is held; or None when that was its last attempt and it is now failed."""
    # Only while the claim is still ours: a worker that ran past its lease has lost the row.
    ours = kind.model.objects.filter(
        pk=item.pk, status=DurableWork.PENDING, claimed_until=item.claimed_until
    )
    if item.attempts >= kind.max_attempts:
        ours.update(status=DurableWork.FAILED, claimed_until=None, last_error=error)
        logger.error(
            "%s %s failed for good after %d attempts: %s", kind.name, item.pk, item.attempts, error
        )
        return None
    countdown = work_retry_delay(kind=kind, attempts=item.attempts)
    hold = timezone.now() + timedelta(seconds=countdown) if countdown > 0 else None
    ours.update(claimed_until=hold, last_error=error)
    logger.warning(
        "%s %s attempt %d failed, next try in %ss: %s",
        kind.name,
        item.pk,
        item.attempts,
        countdown,
        error,
    )
    return countdown


def work_abandoned_fail(*, kind: WorkKind) -> int:
    """Mark failed the rows whose last attempt's worker stopped before it finished (its hold
    ran out and no attempt is left); returns how many."""
    return (
        kind.model.objects.filter(_claimable(timezone.now()))
        .filter(attempts__gte=kind.max_attempts)
        .update(
            status=DurableWork.FAILED,
            claimed_until=None,
            # Keep what the try before it said: often why this one did not finish either.
            last_error=Case(
                When(last_error="", then=Value(ABANDONED)),
                default=Concat(Value(f"{ABANDONED} The try before it: "), F("last_error")),
                output_field=TextField(),
            ),
        )
    )


def work_due(
    *, kind: WorkKind, older_than_seconds: int | None = None, limit: int = 1000
) -> list[int]:
    """Ids of the rows the relay queues again, oldest first: pending, not held, attempts left,
    and either tried before (a retry is due, or its worker died) or older than
    ``older_than_seconds`` (the kind's ``relay_after_seconds``) without a try (its message
    was lost: broker down at commit, message dropped)."""
    if older_than_seconds is None:
        older_than_seconds = kind.relay_after_seconds
    now = timezone.now()
    return list(
        kind.model.objects.filter(_claimable(now), attempts__lt=kind.max_attempts)
        # A row never tried is left to its own message for a while; a row tried before has
        # had its message, so it is due as soon as its hold runs out.
        .filter(Q(attempts__gt=0) | Q(created_at__lt=now - timedelta(seconds=older_than_seconds)))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def work_next_due(*, kind: WorkKind) -> datetime | None:
    """When the relay next has something to do for this kind (queue a row or fail an
    abandoned one); None when nothing is pending."""
    pending = kind.model.objects.filter(status=DurableWork.PENDING)
    untried = pending.filter(attempts=0).aggregate(at=Min("created_at"))["at"]
    tried = pending.filter(attempts__gt=0).aggregate(
        at=Min(Coalesce("claimed_until", "created_at"))
    )["at"]
    times = [tried]
    if untried is not None:
        times.append(untried + timedelta(seconds=kind.relay_after_seconds))
    return min((t for t in times if t is not None), default=None)


def work_retry_in(*, kind: WorkKind, pk: int) -> float | None:
    """Seconds until a pending row may be tried again (0: now); None when it is done or
    failed, so there is nothing to retry."""
    row = kind.model.objects.filter(pk=pk, status=DurableWork.PENDING).values("claimed_until")
    row = row.first()
    if row is None:
        return None
    if row["claimed_until"] is None:
        return 0.0
    return max((row["claimed_until"] - timezone.now()).total_seconds(), 0.0)


def work_enqueue(*, kind: WorkKind, ids: Iterable[int], background: bool = False) -> None:
    """Queue the kind's task for each row once the current transaction commits (a broker
    that cannot be reached is left to the relay); ``background``: see
    ``enqueue_after_commit``."""
    enqueue_after_commit(task_for(kind), *[(pk,) for pk in ids], background=background)


def work_resend(*, kind: WorkKind, ids: Iterable[int]) -> int:
    """Try failed rows again with a fresh set of attempts; returns how many.

    Rows that are not failed (pending, done) are left alone. The last error stays visible
    until the next try replaces or clears it.
    """
    with transaction.atomic():
        failed = list(
            kind.model.objects.select_for_update()
            .filter(pk__in=list(ids), status=DurableWork.FAILED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        kind.model.objects.filter(pk__in=failed).update(
            status=DurableWork.PENDING, attempts=0, claimed_until=None
        )
        work_enqueue(kind=kind, ids=failed)
    return len(failed)


# --- Events ----------------------------------------------------------------------------------


def event_record(*, kind: str, payload: dict) -> Event:
    """Record an event in the current transaction; it is dispatched once that commits."""
    event = Event.objects.create(kind=kind, payload=payload)
    # A broker outage must not fail the change that committed: the relay dispatches it later.
    work_enqueue(kind=EVENTS, ids=[event.pk], background=in_background(kind))
    return event


def event_handle(*, event_id: int) -> bool:
    """Claim the event, run every handler of its kind, mark it done.

    Returns False when there was nothing to do (done or failed already, claimed by another
    worker, or held until its next try). A failing handler's error is recorded, the event is
    held until its next try or, after ``OUTBOX_MAX_ATTEMPTS`` tries, marked failed; the
    error is re-raised.
    """
    event = work_claim(kind=EVENTS, pk=event_id)
    if event is None:
        return False
    try:
        for handler in handlers_for(event.kind):
            with transaction.atomic():
                handler(event.payload)
    except Exception as exc:
        logger.exception("Handling event %s (%s) failed", event_id, event.kind)
        work_failed(kind=EVENTS, item=event, error=error_text(exc))
        raise
    work_done(kind=EVENTS, item=event)
    return True


def events_pending(*, older_than_seconds: int = 60, limit: int = 500) -> list[int]:
    """The events the relay dispatches again (``work_due``)."""
    return work_due(kind=EVENTS, older_than_seconds=older_than_seconds, limit=limit)

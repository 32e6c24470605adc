"""Imports of listings from spreadsheets.

``import_start`` reads the file and records the batch; its rows are then checked in chunks,
one outbox event per chunk (each commits, so the page shows the progress), with the same forms
as the site's pages. ``import_confirm`` queues the import itself, which creates every listing
through the listing services in one transaction: all rows or none.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from marketplace.bulk.columns import COLUMNS, RowReader
from marketplace.bulk.models import ImportBatch, ImportStatus
from marketplace.bulk.reading import ROW_NUMBER, read_rows
from marketplace.listings import services as listing_services
from marketplace.listings.forms import LISTING_FORMS
from marketplace.listings.kinds import model_for
from marketplace.outbox.services import event_record
from marketplace.refusals import Refused

CHECK = "bulk.import_check"
RUN = "bulk.import_run"


def import_start(
    *, organization: Organization, user: User, kind: str, upload: UploadedFile
) -> ImportBatch:
    """Record the rows of ``upload`` and have them checked; Refused if the file is unreadable."""
    rows = read_rows(upload, kind)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            organization=organization,
            created_by=user,
            kind=kind,
            file_name=(upload.name or "")[-255:],
            rows=rows,
        )
        event_record(kind=CHECK, payload={"batch": batch.pk, "start": 0})
    return batch


def _row_errors(reader: RowReader, kind: str, row: dict) -> list[dict]:
    """The errors of one row, by column header, as the site's form would find them."""
    data, errors = reader.form_data(row)
    form = LISTING_FORMS[kind](data=data, field_choices=reader.field_choices)
    found = {field: [message] for field, message in errors.items()}
    if not form.is_valid():
        for field, messages in form.errors.items():
            found.setdefault(field, list(messages))
    headers = {c.field: c.header for c in COLUMNS[kind]}
    return [
        {"row": row[ROW_NUMBER], "column": headers.get(field, "—"), "message": message}
        for field, messages in found.items()
        for message in messages
    ]


def import_check_chunk(*, batch_id: int, start: int) -> None:
    """Check ``IMPORT_CHUNK_ROWS`` rows from ``start``, then queue the next chunk; the last one
    decides between ready and errors. Idempotent: a chunk already counted is skipped."""
    batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.VALIDATING or batch.validated != start:
        return
    reader = RowReader(batch.kind)
    end = min(start + settings.IMPORT_CHUNK_ROWS, len(batch.rows))
    for row in batch.rows[start:end]:
        batch.errors.extend(_row_errors(reader, batch.kind, row))
    batch.validated = end
    if end < len(batch.rows):
        event_record(kind=CHECK, payload={"batch": batch.pk, "start": end})
    else:
        batch.status = ImportStatus.INVALID if batch.errors else ImportStatus.READY
    batch.save(update_fields=["errors", "validated", "status"])


def import_confirm(*, batch: ImportBatch, user: User, submit_for_review: bool) -> ImportBatch:
    """Queue the import of a checked batch without errors."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.READY:
            raise Refused(_("Only a checked file without errors can be imported."))
        batch.status = ImportStatus.IMPORTING
        batch.submit_for_review = submit_for_review
        batch.save(update_fields=["status", "submit_for_review"])
        event_record(kind=RUN, payload={"batch": batch.pk})
    return batch


def import_run(*, batch_id: int) -> None:
    """Create every listing of the batch, or none: a row that became invalid since the check
    (a technical field removed, a deadline passed) or that a service refuses stops it all and
    the batch shows the errors."""
    batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.IMPORTING:
        return
    model, form_class = model_for(batch.kind), LISTING_FORMS[batch.kind]
    reader = RowReader(batch.kind)
    user = batch.created_by
    created: list[int] = []
    errors: list[dict] = []
    try:
        with transaction.atomic():
            for row in batch.rows:
                data, cell_errors = reader.form_data(row)
                form = form_class(data=data, field_choices=reader.field_choices)
                if cell_errors or not form.is_valid():
                    errors = _row_errors(reader, batch.kind, row)
                    raise Refused(_("A row is no longer valid."))
                listing = listing_services.listing_create(
                    model=model,
                    organization=batch.organization,
                    user=user,
                    data=form.service_data(),
                )
                if batch.submit_for_review:
                    try:
                        listing_services.listing_submit(listing=listing, user=user)
                    except Refused as refusal:
                        errors = [{"row": row[ROW_NUMBER], "column": "—", "message": str(refusal)}]
                        raise
                created.append(listing.pk)
    except Refused:
        batch.status, batch.errors, batch.created_ids = ImportStatus.INVALID, errors, []
    else:
        batch.status, batch.created_ids = ImportStatus.DONE, created
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "errors", "created_ids", "finished_at"])

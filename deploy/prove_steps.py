"""The Python steps of deploy/prove.sh, one sub-command each; the shell script owns the
processes. Each prints what it did and exits non-zero on a failure.

    prepare          a pending achievement that will match (a copy of a well-matched one)
    journey URL      through nginx: the moderator signs in and publishes it
    web URL          a page through nginx answers 200 (after one web instance was killed)
    pending          the publication's work is not done yet (the worker is frozen)
    settle           wait until the outbox, the matches and every email are done
    check MAILDIR    every email sent exactly once; the reports read the replica
    counts DBNAME    rows per table of the database (for the restore comparison)
"""

from __future__ import annotations

import mailbox
import os
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

STATE = Path(os.environ["PROVE_STATE"])  # the proof's folder (prove.sh)
# nginx's self-signed certificate: it names 127.0.0.1, so it is checked like a real one.
CERTIFICATE = os.environ["PROVE_CERTIFICATE"]
MODERATOR = ("moderator@keqiao.local", "keqiao-demo-2026")


def step(text: str) -> None:
    print(f"    {text}", flush=True)


def fail(text: str) -> None:
    print(f"FAILED: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


def prepare() -> None:
    from marketplace.listings import services
    from marketplace.listings.models import Achievement
    from marketplace.matching.models import Match

    best = (
        Match.objects.filter(score__gte=settings.MATCH_NOTIFY_THRESHOLD)
        .select_related("achievement__organization", "achievement__created_by")
        .order_by("-score")
        .first()
    )
    if best is None:
        fail("the demo data has no match to copy")
    source = best.achievement
    owner = source.created_by or source.organization.memberships.first().user
    data = {name: getattr(source, name) for name in services._WRITABLE[Achievement]}
    data["title"] = f"{source.title} (prove)"
    data["fields"] = list(source.fields.all())
    listing = services.listing_create(
        model=Achievement, organization=source.organization, user=owner, data=data
    )
    services.listing_submit(listing=listing, user=owner)
    (STATE / "listing").write_text(str(listing.pk))
    (STATE / "since").write_text(timezone.now().isoformat())
    step(f"pending achievement #{listing.pk} “{listing.title[:40]}” (a copy of #{source.pk})")


def _signed_in(base: str):
    import requests

    session = requests.Session()
    session.verify = CERTIFICATE
    # Otherwise REQUESTS_CA_BUNDLE, when set, replaces the certificate above.
    session.trust_env = False
    session.headers["Referer"] = base + "/"
    page = session.get(f"{base}/accounts/login/", timeout=30)
    if page.status_code != 200:
        fail(f"log-in page answered {page.status_code}")
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "username": MODERATOR[0],
            "password": MODERATOR[1],
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=30,
        allow_redirects=False,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        fail(f"signing in answered {answer.status_code}")
    step(f"signed in as {MODERATOR[0]} through nginx")
    return session


def journey(base: str) -> None:
    session = _signed_in(base)
    pk = (STATE / "listing").read_text()
    change = f"{base}/admin/listings/achievement/{pk}/change/"
    if (page := session.get(change, timeout=30)).status_code != 200:
        fail(f"admin change page answered {page.status_code}")
    published = session.post(
        f"{base}/admin/listings/achievement/{pk}/publish/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=60,
        allow_redirects=False,
    )
    if published.status_code != 302:
        fail(f"publishing answered {published.status_code}")
    from marketplace.listings.models import Achievement

    status = Achievement.objects.get(pk=pk).status
    if status != "published":
        fail(f"the achievement is {status} after publishing")
    step(f"published achievement #{pk} in admin through nginx (302, now {status})")


def web(base: str) -> None:
    import requests

    codes = Counter(
        requests.get(f"{base}/achievements/", verify=CERTIFICATE, timeout=30).status_code
        for _ in range(6)
    )
    if set(codes) != {200}:
        fail(f"pages through nginx with one web instance down: {dict(codes)}")
    step(f"6 pages through nginx with one web instance down: {dict(codes)}")


def _pending() -> dict[str, int]:
    from marketplace.matching.models import Match
    from marketplace.notifications.models import Delivery
    from marketplace.outbox.models import Event

    pk = int((STATE / "listing").read_text())
    return {
        "events": Event.objects.exclude(status="done").count(),
        "deliveries": Delivery.objects.filter(status="pending").count(),
        "no_match_yet": int(not Match.objects.filter(achievement_id=pk).exists()),
    }


def pending() -> None:
    step(f"work not done yet: {_pending()}")
    if not any(_pending().values()):
        fail("the work was done before the worker could be killed")


def settle(timeout: int = 420) -> None:
    started = time.monotonic()
    last = None
    while time.monotonic() - started < timeout:
        pending = _pending()
        if pending != last:
            step(f"{int(time.monotonic() - started):>3}s waiting on: {pending}")
            last = pending
        if not any(pending.values()):
            step(f"all work done after {int(time.monotonic() - started)}s")
            return
        time.sleep(3)
    fail(f"work still pending after {timeout}s: {last}")


def check(maildir: str) -> None:
    from marketplace.listings.models import Achievement
    from marketplace.matching.models import Match
    from marketplace.notifications.models import Delivery
    from marketplace.notifications.services.delivery import _message_id
    from marketplace.outbox.models import Event

    pk = int((STATE / "listing").read_text())
    failed = {
        "events": Event.objects.filter(status="failed").count(),
        "deliveries": Delivery.objects.filter(status="failed").count(),
    }
    if any(failed.values()):
        fail(f"failed work: {failed}")
    matches = Match.objects.filter(achievement_id=pk)
    best = max(m.score for m in matches)
    step(f"achievement #{pk}: {matches.count()} matches, best score {best}")
    # The demo's own emails were recorded while it loaded, before the SMTP server ran: the
    # journey's are those since it began.
    since = datetime.fromisoformat((STATE / "since").read_text())
    sent = list(Delivery.objects.filter(status="sent", created_at__gte=since))
    expected = {_message_id(d) for d in sent}
    received = Counter(message["Message-ID"] for message in mailbox.Maildir(maildir, create=False))
    doubled = {mid: n for mid, n in received.items() if n > 1}
    missing = expected - set(received)
    unknown = set(received) - expected
    step(
        f"emails of the journey: {len(sent)} deliveries sent, {sum(received.values())} "
        f"received by the SMTP server, {len(doubled)} doubled, {len(missing)} missing"
    )
    if doubled or missing or unknown:
        fail(f"emails doubled {doubled}, missing {sorted(missing)}, unknown {sorted(unknown)}")
    if not sent:
        fail("no email caused by publishing the achievement")
    subjects = Counter(d.subject[:60] for d in sent)
    step(f"subjects: {dict(subjects)}")
    # The reports read the replica; the rest of the site the primary.
    from marketplace.dashboard.selectors import Period, dashboard_figures

    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        in_recovery = cursor.fetchone()[0]
    if not in_recovery:
        fail("the replica alias is not a server in recovery")
    for alias in ("default", "replica"):
        connections[alias].force_debug_cursor = True
        connections[alias].queries_log.clear()
    figures = dashboard_figures(None, Period.default())
    ran = len(connections["replica"].queries)
    on_primary = len(connections["default"].queries)
    if ran == 0 or on_primary:
        fail(f"the reports read the replica {ran} times and the primary {on_primary} times")
    achievements = Achievement.objects.count()
    step(
        f"reports: {len(figures)} figures read with {ran} statements on the replica "
        f"(a hot standby); {achievements} achievements on the primary"
    )


def counts(name: str) -> None:
    import psycopg
    from psycopg import sql

    params = connections["default"].get_connection_params()
    params["dbname"] = name
    params.pop("options", None)
    params.pop("cursor_factory", None)
    params.pop("prepare_threshold", None)
    params.pop("context", None)
    with psycopg.connect(**params) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            n = conn.execute(query).fetchone()[0]
            print(f"{table}\t{n}")


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["help"]
    if command not in {"prepare", "journey", "web", "pending", "settle", "check", "counts"}:
        print(__doc__)
        sys.exit(2)
    globals()[command](*args)

"""Load: how many requests a second the site serves with p95 ≤ 300 ms and no error, as
the number of users grows.

    make bench-load [ARGS="--steps 10,20,40,80 --seconds 60 --profile"]

Starts the site as ``make run`` serves it (gunicorn, ``--workers 2 --threads 4``, debug
off) on the database ``DATABASE_NAME`` (``make bench-load`` gives it the demo data in
``keqiao_bench_load``) with Redis on 127.0.0.1 as the Celery broker, then runs the locust
scenario (``bench/load/locustfile.py``: 60 % anonymous browsing and search, 30 % signed-in
owners, 10 % brokers) headless once per step, each step from a cold start of its users.
Per step it prints requests per second, p50/p95/p99 of all requests, failures, the CPU
milliseconds per request of the web processes and of PostgreSQL (read from /proc, so that
a machine shared with other work still says what a request costs), the slowest page's p95
and the load average. ``--profile`` samples the gunicorn workers with
py-spy during the last step and says where their time went (database, templates, ORM…).
The last line is the best step within the target:

    load <r> req/s at <u> users (p95 <ms> ms, 0 errors), load average <l>
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from cpu import database_cpu, process_tree_cpu  # noqa: E402 - bench/cpu.py

BIN = ROOT / ".venv" / "bin"
P95_TARGET_MS = 300

# Where a sample's time goes, by the innermost frame that names a part (checked leaf-first).
PARTS = [
    ("psycopg", "PostgreSQL (query + wire)"),
    ("django/template", "templates"),
    ("django/db/models", "ORM (building queries, making objects)"),
    ("jieba", "text analysis (jieba)"),
    ("marketplace/text", "text analysis (ours)"),
    ("django/contrib/sessions", "sessions"),
    ("django/contrib/auth", "authentication"),
    ("django/middleware", "middleware"),
    ("whitenoise", "static files"),
    ("/marketplace/", "our views, selectors, services"),
    ("/accounts/", "our views, selectors, services"),
    ("django/", "Django, other"),
    ("gunicorn", "gunicorn"),
]


def cpu_used(site: subprocess.Popen) -> tuple[float, float]:
    """CPU seconds so far of the site (gunicorn and its workers) and of this worktree's
    PostgreSQL (the postmaster, its backends, and the backends that have exited): what a
    machine of its own would have to provide, whatever else the shared machine runs."""
    return process_tree_cpu(site.pid), database_cpu(ROOT)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def start_site(port: int, workers: int, threads: int, broker: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMBEDDING_MODEL": os.environ.get("EMBEDDING_MODEL", "terms"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    subprocess.run(  # noqa: S603 - our own manage.py
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    site = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(BIN / "gunicorn"), "marketplace.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--threads", str(threads), "--timeout", "120"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:  # noqa: S310
                if r.status == 200:
                    return site
        except OSError:
            time.sleep(0.5)
    site.terminate()
    sys.exit("bench/load/run.py: the site did not answer within 2 minutes")


def warm_up(port: int, workers: int) -> None:
    """The first text search in a process loads jieba's dictionary and the glossary (seconds):
    a few of each kind of page before the first step, so that no step measures that."""
    pages = ["/achievements/?q=电池", "/challenges/?q=battery", "/achievements/", "/"]
    for _ in range(3 * workers):
        for page in pages:
            url = f"http://127.0.0.1:{port}{urllib.parse.quote(page, safe='/?=&')}"
            with urllib.request.urlopen(url, timeout=120):  # noqa: S310 - our own site
                pass


def log_in(port: int, emails: list[str], password: str) -> dict[str, str]:
    """A session cookie per account, logged in once through the site's own log-in page."""
    import http.cookiejar
    import re

    sessions = {}
    for email in emails:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        url = f"http://127.0.0.1:{port}/accounts/login/"
        page = opener.open(url, timeout=120).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {"username": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
        try:
            opener.open(request, timeout=120)
        except urllib.error.HTTPError as redirect:
            if redirect.code != 302:
                sys.exit(f"bench/load/run.py: log-in of {email} answered {redirect.code}")
        cookie = next((c.value for c in jar if c.name == "sessionid"), None)
        if cookie is None:
            sys.exit(f"bench/load/run.py: log-in of {email} gave no session")
        sessions[email] = cookie
    return sessions


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _locust(users: int, seconds: int, port: int, prefix: Path, log) -> None:
    subprocess.run(  # noqa: S603 - our own locust, fixed arguments
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "load" / "locustfile.py")]
        + ["--headless", "-u", str(users), "-r", str(max(users // 2, 1))]
        + ["-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}"]
        + ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
        # Requests in flight when the time is up finish rather than count as errors.
        + ["--stop-timeout", "30"],
        cwd=ROOT,
        check=False,  # locust exits 1 when a request failed: that is in the figures
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def run_step(users: int, seconds: int, port: int, out: Path, site: subprocess.Popen) -> dict:
    prefix = out / f"users{users}"
    web_before, db_before = cpu_used(site)
    with open(f"{prefix}.log", "w", encoding="utf-8") as log:
        _locust(users, seconds, port, prefix, log)
    web_after, db_after = cpu_used(site)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    pages = [r for r in rows if r["Name"] != "Aggregated" and int(r["Request Count"]) >= 20]
    slowest = max(pages, key=lambda r: float(r["95%"]), default=total)
    return {
        "users": users,
        "rps": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "slowest": f"{slowest['Name']} {float(slowest['95%']):.0f}",
        "load": load_average(),
        # CPU milliseconds per request, from the requests locust counted (a few requests
        # still in flight at a step's edges make this a little high).
        "web_ms": 1000 * (web_after - web_before) / max(int(total["Request Count"]), 1),
        "db_ms": 1000 * (db_after - db_before) / max(int(total["Request Count"]), 1),
    }


def profile(site: subprocess.Popen, seconds: int, out: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own py-spy, fixed arguments
        [str(BIN / "py-spy"), "record", "--subprocesses", "--gil", "--nonblocking", "-r", "100"]
        + ["-d", str(seconds), "-f", "raw", "-o", str(out / "gunicorn.txt")]
        + ["--pid", str(site.pid)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def where_the_time_goes(raw: Path) -> list[tuple[str, float]]:
    """Share of the workers' samples per part (``PARTS``), from py-spy's collapsed stacks."""
    parts: Counter[str] = Counter()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        part = "other"
        for frame in reversed(frames):
            found = next((name for key, name in PARTS if key in frame), None)
            if found:
                part = found
                break
        parts[part] += int(count)
    total = sum(parts.values()) or 1
    return [(part, 100 * n / total) for part, n in parts.most_common()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default="10,20,40,80", help="users per step")
    parser.add_argument("--seconds", type=int, default=60, help="length of each step")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/13", help="Celery broker")
    parser.add_argument("--profile", action="store_true", help="py-spy on the last step")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]

    out = Path(tempfile.mkdtemp(prefix="keqiao-load-"))
    site = start_site(args.port, args.workers, args.threads, args.broker)
    results = []
    try:
        # Log each scenario account in once; every step's users reuse its session.
        sys.path.insert(0, str(ROOT / "bench" / "load"))
        from people import BROKERS, OWNERS, PASSWORD

        sessions = log_in(args.port, OWNERS + BROKERS, PASSWORD)
        warm_up(args.port, args.workers)
        os.environ["BENCH_LOAD_SESSIONS"] = json.dumps(sessions)
        print(
            f"{'users':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'fail':>5} "
            f"{'web':>5} {'db':>5}  slowest page p95 (ms)                 load average",
            flush=True,
        )
        for users in steps:
            spy = None
            if args.profile and users == steps[-1]:
                spy = profile(site, args.seconds, out)
            r = run_step(users, args.seconds, args.port, out, site)
            if spy is not None:
                spy.wait(timeout=120)
            results.append(r)
            print(
                f"{r['users']:>5} {r['rps']:>7.1f} {r['p50']:>6.0f} {r['p95']:>6.0f} "
                f"{r['p99']:>6.0f} {r['failures']:>5} {r['web_ms']:>5.0f} {r['db_ms']:>5.0f}  "
                f"{r['slowest']:<37} {r['load']}",
                flush=True,
            )
    finally:
        site.send_signal(signal.SIGTERM)
        site.wait(timeout=30)
    raw = out / "gunicorn.txt"
    if args.profile and raw.exists():
        print(f"where the workers' time went ({args.steps.split(',')[-1]} users, py-spy):")
        for part, share in where_the_time_goes(raw):
            print(f"  {share:5.1f} %  {part}")
        print(f"  (collapsed stacks: {raw})")
    # What two cores of its own would serve: the CPU a request took (web + database, measured
    # whatever else the machine ran), at the busiest step.
    busiest = max(results, key=lambda r: r["requests"])
    per_request = busiest["web_ms"] + busiest["db_ms"]
    if per_request > 0:
        print(
            f"cpu per request {per_request:.1f} ms (web {busiest['web_ms']:.1f}, database "
            f"{busiest['db_ms']:.1f}) at {busiest['users']} users: two cores of its own "
            f"would serve about {2000 / per_request:.0f} req/s"
        )
    good = [r for r in results if r["p95"] <= P95_TARGET_MS and r["failures"] == 0]
    if good:
        best = max(good, key=lambda r: r["rps"])
        print(
            f"load {best['rps']:.0f} req/s at {best['users']} users "
            f"(p95 {best['p95']:.0f} ms, 0 errors), load average {best['load']}"
        )
    else:
        print(f"load no step within p95 ≤ {P95_TARGET_MS} ms with 0 errors")


if __name__ == "__main__":
    main()

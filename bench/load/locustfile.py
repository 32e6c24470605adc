"""The site under load: who uses it and how (``make bench-load``; ``bench/load/run.py``
starts the servers and steps the users).

- 60 % anonymous visitors: the home page, the two search pages with and without a query
  or a facet, listing pages, organisation pages;
- 30 % signed-in owners (the demo university and enterprise): their dashboard, their own
  listings and those listings' matches, their notifications;
- 10 % transfer-centre brokers: their region's listings and their deals.

Every response must be a 200 (a redirect to the log-in page would mean a lost session and
counts as a failure). Listing ids are read from the search pages, so the scenario follows
whatever data the database holds (the demo's or ``bench_data``'s).
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task
from people import BROKERS, OWNERS, PASSWORD

QUERIES = ["电池", "battery", "光刻胶", "储能", "sensor", "催化剂", "robot", "钙钛矿", "water"]
FACETS = ["region=guangdong", "trl=7", "mode=licence", "region=zhejiang", "sort=newest"]
# Think time between a user's requests: short, so that a few dozen users load the server.
WAIT = (
    float(os.environ.get("BENCH_LOAD_WAIT_MIN", "0.2")),
    float(os.environ.get("BENCH_LOAD_WAIT_MAX", "0.8")),
)

# email → session cookie, from run.py (BENCH_LOAD_SESSIONS, JSON) or the first log-in here.
SESSIONS: dict[str, str] = json.loads(os.environ.get("BENCH_LOAD_SESSIONS") or "{}")

LISTING = re.compile(r'href="/(achievements|challenges)/(\d+)/"')
ORGANIZATION = re.compile(r'href="/organizations/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browsing:
    """What a user has seen: listing and organisation ids to visit next."""

    def __init__(self) -> None:
        self.listings: list[tuple[str, str]] = []
        self.organizations: list[str] = []

    def learn(self, html: str) -> None:
        found = LISTING.findall(html)
        if found:
            self.listings = found[:40]
        organizations = ORGANIZATION.findall(html)
        if organizations:
            self.organizations = organizations[:20]


class Visitor(HttpUser):
    """Anonymous browsing and search."""

    weight = 6
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.seen = Browsing()
        self._get("/achievements/", name="/achievements/")

    def _get(self, url: str, *, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {url}: {r.error or r.reason}")
                return ""
            self.seen.learn(r.text)
            return r.text

    @task(2)
    def home(self) -> None:
        self._get("/", name="/")

    @task(4)
    def search_page(self) -> None:
        kind = random.choice(["achievements", "challenges"])
        page = random.choice(["", "?page=2", "?page=3"])
        self._get(f"/{kind}/{page}", name=f"/{kind}/")

    @task(5)
    def search_text(self) -> None:
        kind = random.choice(["achievements", "challenges"])
        self._get(f"/{kind}/?q={random.choice(QUERIES)}", name=f"/{kind}/?q=")

    @task(3)
    def search_facet(self) -> None:
        kind = random.choice(["achievements", "challenges"])
        self._get(f"/{kind}/?{random.choice(FACETS)}", name=f"/{kind}/?facet")

    @task(6)
    def listing(self) -> None:
        if self.seen.listings:
            kind, pk = random.choice(self.seen.listings)
            self._get(f"/{kind}/{pk}/", name=f"/{kind}/<id>/")

    @task(1)
    def organization(self) -> None:
        if self.seen.organizations:
            pk = random.choice(self.seen.organizations)
            self._get(f"/organizations/{pk}/", name="/organizations/<id>/")


class SignedIn(HttpUser):
    """Logs in once with the demo password, then keeps its session."""

    abstract = True
    wait_time = between(*WAIT)
    accounts: list[str] = []

    def on_start(self) -> None:
        self.seen = Browsing()
        email = random.choice(self.accounts)
        # A person logs in once and browses for a long while: the users of one account share
        # its session (run.py logs each account in once for every step), so that the
        # scenario measures pages, not PBKDF2's million rounds per log-in.
        session = SESSIONS.get(email)
        if session:
            self.client.cookies.set("sessionid", session)
            return
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="/accounts/login/ (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as r:
            if r.status_code != 302:
                r.failure(f"log-in of {email} answered {r.status_code}")
            elif "sessionid" in self.client.cookies:
                SESSIONS[email] = self.client.cookies["sessionid"]

    def _get(self, url: str, *, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {url}: {r.error or r.reason}")
                return ""
            return r.text


class Owner(SignedIn):
    """A university or enterprise owner: dashboard, own listings, their matches."""

    weight = 3
    accounts = OWNERS

    @task(4)
    def dashboard(self) -> None:
        html = self._get("/dashboard/", name="/dashboard/")
        self.seen.learn(html)

    @task(3)
    def own_listing(self) -> None:
        if self.seen.listings:
            kind, pk = random.choice(self.seen.listings)
            self._get(f"/{kind}/{pk}/", name=f"/{kind}/<id>/ (owner)")

    @task(3)
    def matches(self) -> None:
        if self.seen.listings:
            kind, pk = random.choice(self.seen.listings)
            self._get(f"/{kind}/{pk}/matches/", name=f"/{kind}/<id>/matches/")

    @task(1)
    def notifications(self) -> None:
        self._get("/notifications/", name="/notifications/")


class Broker(SignedIn):
    """A transfer-centre broker: the region's listings and the deals they broker."""

    weight = 1
    accounts = BROKERS

    @task(4)
    def region(self) -> None:
        extra = random.choice(["", "?kind=challenge", "?page=2"])
        self._get(f"/brokers/region/{extra}", name="/brokers/region/")

    @task(1)
    def deals(self) -> None:
        self._get("/brokers/deals/", name="/brokers/deals/")

"""Browser tests: Debian's Chromium, driven through Playwright, against pytest-django's live
server. One Chromium per test session; each test gets fresh browser contexts (no shared
cookies), English by default, and a full-page screenshot in ``test-artifacts/`` when it fails.

Set ``KEQIAO_SCREENSHOTS=1`` to also keep the screenshots a test takes of its key steps.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, never a downloaded one; quiet and offline.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}

# The live server listens on the loopback address, the only network the tests may use.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
# A page that takes longer than this to show what we expect is a failure, not a slow machine.
expect.set_options(timeout=10_000)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so fixtures know in teardown if the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio loop running in this thread while it is alive.
    # Two things in Django change when a thread has a running loop:
    # - it refuses ORM calls. Tests and fixtures touch the ORM only between browser steps,
    #   never concurrently, so lift the guard for exactly as long as Playwright runs;
    # - `connections` (an asgiref Local) hands the thread a second, empty set of database
    #   connections, without the test database's serialized contents that serialized
    #   rollback restores. Keep the connections pytest-django set up.
    wrappers = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, wrapper in wrappers.items():
                connections[alias] = wrapper
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


def _artifact_name(item: pytest.Item) -> str:
    return re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1]).strip("_")


@pytest.fixture
def new_page(
    browser: Browser, live_server, request: pytest.FixtureRequest
) -> Iterator[Callable[[], Page]]:
    """new_page() → a page in a new browser context (a new visitor), on the live server."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=VIEWPORT)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = _artifact_name(request.node)
        pages = [page for context in contexts for page in context.pages]
        for number, page in enumerate(pages, start=1):
            suffix = f"-{number}" if len(pages) > 1 else ""
            page.screenshot(path=ARTIFACTS / f"{name}{suffix}.png", full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    """A page for one visitor: English, 1280×900."""
    return new_page()


@pytest.fixture
def snap(request: pytest.FixtureRequest) -> Callable[[Page, str], None]:
    """snap(page, "01-home") keeps a screenshot of a step when KEQIAO_SCREENSHOTS=1."""
    wanted = os.environ.get("KEQIAO_SCREENSHOTS", "").lower() in {"1", "true", "yes"}
    folder = ARTIFACTS / _artifact_name(request.node)

    def take(page: Page, step: str) -> None:
        if wanted:
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=folder / f"{step}.png", full_page=True)

    return take

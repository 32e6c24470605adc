"""Fixtures of the matching tests: statistics recounted every time, and a spy on
notifications."""

from __future__ import annotations

import pytest

from marketplace.matching import profiles, services


@pytest.fixture(autouse=True)
def _matching_settings(settings):
    settings.MATCH_STATS_SECONDS = 0
    # Every kept match is announced as it is found; test_notify_threshold.py tests the
    # threshold that leaves weaker ones to the matches page.
    settings.MATCH_NOTIFY_THRESHOLD = 0
    profiles.stats_forget()
    yield
    profiles.stats_forget()


@pytest.fixture
def told(monkeypatch):
    """Every (user email, key, link) that matching notified, through the real notify()."""
    calls: list[tuple[str, str, str]] = []
    real = services.notify

    def spy(*, users, key, link, **kwargs):
        users = list(users)
        calls.extend((u.email, key, link) for u in users)
        return real(users=users, key=key, link=link, **kwargs)

    monkeypatch.setattr(services, "notify", spy)
    return calls

"""Fixtures of the notification tests: an email template of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _test_templates(settings):
    """``emails/test_event``: a neutral event template that the tests can notify with."""
    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0] = {**templates[0], "DIRS": [*templates[0]["DIRS"], HERE / "templates"]}
    settings.TEMPLATES = templates

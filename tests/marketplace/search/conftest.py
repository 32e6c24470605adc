"""Fixtures of the search tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def web(client_for):
    """A visitor's client: the list pages are public."""
    return client_for(None)

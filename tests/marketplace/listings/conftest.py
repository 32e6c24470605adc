"""Who works the moderation desk in Django admin, and the two kinds of listing.

Two kinds of moderator work the desk: ``admin_user`` (a superuser) and ``listing_moderator``
(staff with only the view and change permissions on achievements and challenges).
"""

from __future__ import annotations

import pytest


@pytest.fixture(params=["admin_user", "listing_moderator"])
def desk(request):
    """Whoever works the moderation desk: each test runs for both."""
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["achievement", "challenge"])
def kind(request):
    return request.param

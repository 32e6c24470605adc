"""The rungs of the confidentiality ladder, and the grants other rooms register to lift an
organisation up it.

Listings decides who sees what (``selectors.listing_access``) but knows nothing of the rooms
that open a listing further: the deals room, for one, opens the full description to an
organisation whose interest was accepted, and the confidential material once it accepted
the listing's NDA. Such a room registers a grant when Django starts (in its
``AppConfig.ready``), as rooms register outbox handlers, so listings never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from accounts.models import Organization
from marketplace.listings.kinds import Listing


class Level(IntEnum):
    """How far up the ladder someone stands on one listing."""

    TEASER = 0  # title, summary, fields, facts and public files: everyone
    FULL = 1  # the full description (and an achievement's team and contact)
    CONFIDENTIAL = 2  # a challenge's confidential details and every confidential file


# A grant answers: what level does this (verified, non-owner) organisation hold on this
# listing? It should cost at most one query.
AccessGrant = Callable[[Organization, Listing], Level]

_grants: list[AccessGrant] = []


def register_access_grant(grant: AccessGrant) -> AccessGrant:
    """Add a grant (usable as a decorator); registering the same function twice is a no-op."""
    if grant not in _grants:
        _grants.append(grant)
    return grant


def granted_level(organization: Organization, listing: Listing) -> Level:
    """The highest level any registered grant gives the organisation on the listing."""
    level = Level.TEASER
    for grant in _grants:
        level = max(level, Level(grant(organization, listing)))
        if level == Level.CONFIDENTIAL:
            break
    return level

"""The demo marketplace's content: organisations, people, achievements and challenges.

Hand-written, bilingual and deterministic; ``manage.py seed_demo`` feeds it through the
services. Keys (``key``, ``org``) tie listings to their organisations, and titles name
listings (``seed_demo_deals`` tells its stories about listings by title).

One module per top-level technical field holds the listings whose first field is in it.
Achievements: ``price`` None means negotiable; ``by`` "member" means the organisation's first
member wrote it (else the owner); ``reason`` is the moderator's reason for rejected ones.
Challenges: ``budget`` is (from, up to) in yuan or None; ``deadline_in`` days from the day of
seeding; ``fits`` the titles of the demo achievements that genuinely answer it.

``tests/marketplace/demo/test_showcase.py`` holds the demo to what it is for: every field has
published achievements and challenges in both languages, and every published challenge finds
one of its fits among its first five matches.
"""

from typing import Any

from marketplace.demo.content import (
    agriculture,
    ai,
    biomed,
    energy,
    environment,
    ic,
    it,
    low_altitude,
    manufacturing,
    materials,
)
from marketplace.demo.content.organizations import ORGANIZATIONS

# In the order of the taxonomy (listings/migrations/0002_technical_fields.py).
FIELD_MODULES = (
    ai,
    ic,
    energy,
    materials,
    biomed,
    manufacturing,
    low_altitude,
    it,
    agriculture,
    environment,
)
ACHIEVEMENTS: list[dict[str, Any]] = [spec for m in FIELD_MODULES for spec in m.ACHIEVEMENTS]
CHALLENGES: list[dict[str, Any]] = [spec for m in FIELD_MODULES for spec in m.CHALLENGES]

__all__ = ["ACHIEVEMENTS", "CHALLENGES", "ORGANIZATIONS"]

"""People of the accounts' page tests: the rows of the permission matrix.

Rows: visitor, owner (of the university), member (of the university), pending (asked to
join the university, not answered yet), other_org (owner of the enterprise), outsider
(signed in, no organisation), moderator (staff, no organisation).
"""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def applicant(university):
    """Asked to join the university; its owners have not answered yet."""
    return factories.make_user(org=university, status="pending", email="applicant@example.org")


@pytest.fixture
def who(uni_user, uni_colleague, applicant, ent_user, outsider, moderator):
    return {
        "visitor": None,
        "owner": uni_user,
        "member": uni_colleague,
        "pending": applicant,
        "other_org": ent_user,
        "outsider": outsider,
        "moderator": moderator,
    }

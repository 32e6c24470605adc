"""People of the brokers' tests.

The university (Zhejiang, ``uni_user``) owns achievements, the enterprise (Guangdong,
``ent_user``) challenges. ``broker`` works for a verified transfer centre of Zhejiang,
``broker_elsewhere`` for one of Sichuan; ``unverified_broker`` for a centre not verified yet.
"""

from __future__ import annotations

import pytest

from tests import factories

make_broker = factories.make_broker


@pytest.fixture
def broker(db):
    return make_broker("zhejiang", email="broker@zj-ttc.example")


@pytest.fixture
def broker_elsewhere(db):
    return make_broker("sichuan", email="broker@sc-ttc.example")


@pytest.fixture
def cast(uni_user, ent_user, broker, broker_elsewhere, moderator):
    """The permission matrix's rows of the brokers' pages."""
    return {
        "visitor": None,
        "university": uni_user,
        "enterprise": ent_user,
        "broker": broker,
        "broker_elsewhere": broker_elsewhere,
        "moderator": moderator,
    }

"""Fixtures of the dashboard tests: brokers of two regions, the permission matrix's people,
and the known data set of ``support``."""

from __future__ import annotations

import pytest

from accounts.choices import OrganizationKind
from tests import factories

from .support import build_dataset


@pytest.fixture
def gd_centre(db):
    return factories.make_org(
        kind=OrganizationKind.TRANSFER_CENTRE, name="粤港澳转移中心", region="guangdong"
    )


@pytest.fixture
def broker(gd_centre):
    """A broker of the Guangdong centre."""
    return factories.make_user(org=gd_centre, role="member", email="broker@gd.example")


@pytest.fixture
def other_broker(db):
    """A broker of the Zhejiang centre."""
    return factories.make_broker("zhejiang", name="浙江转移中心", email="broker@zj.example")


@pytest.fixture
def unverified_broker(db):
    return factories.make_broker(
        "guangdong", verified=False, name="New centre", email="broker@new.example"
    )


@pytest.fixture
def people(
    uni_user, ent_user, outsider, broker, other_broker, unverified_broker, moderator, admin_user
):
    """The permission matrix's rows, by name."""
    return {
        "visitor": None,
        "university": uni_user,
        "enterprise": ent_user,
        "outsider": outsider,
        "unverified_centre": unverified_broker,
        "broker": broker,
        "other_broker": other_broker,
        "moderator": moderator,
        "admin": admin_user,
    }


@pytest.fixture
def dataset(db):
    build_dataset()

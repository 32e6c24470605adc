"""People and steps of the deals tests.

The university (Zhejiang, ``uni_user`` its owner, ``uni_colleague`` a member) owns the
listings; the enterprise (``ent_user``, Guangdong) is the interested organisation, the
"sender". Around them: a member of a third verified organisation, a broker of the listing's
region (a verified transfer centre in Zhejiang), a broker of another region, a member of an
unverified organisation, an outsider, a moderator and a visitor.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.choices import OrganizationKind
from marketplace.deals import selectors, services
from marketplace.listings.services import attachment_add
from tests import factories


@pytest.fixture
def third_user(db):
    org = factories.make_org(kind=OrganizationKind.ENTERPRISE, name="第三方公司", region="jiangsu")
    return factories.make_user(org=org, email="rd@third.example")


@pytest.fixture
def broker(db):
    """A member of a verified transfer centre of the listings' region (Zhejiang)."""
    return factories.make_broker("zhejiang", name="浙江技术转移中心", email="broker@zj-ttc.example")


@pytest.fixture
def broker_elsewhere(db):
    """A broker of another region (Sichuan)."""
    return factories.make_broker("sichuan", name="四川技术转移中心", email="broker@sc-ttc.example")


@pytest.fixture
def cast(people, uni_colleague, third_user, broker, broker_elsewhere):
    """The permission matrix's rows of the deals room, by name."""
    return {
        "visitor": None,
        "owner": people["owner"],
        "colleague": uni_colleague,
        "sender": people["other_org"],
        "third_org": third_user,
        "broker": broker,
        "broker_elsewhere": broker_elsewhere,
        "unverified_org": people["unverified_org"],
        "outsider": people["outsider"],
        "moderator": people["moderator"],
    }


ROWS = [
    "visitor",
    "owner",
    "colleague",
    "sender",
    "third_org",
    "broker",
    "broker_elsewhere",
    "unverified_org",
    "outsider",
    "moderator",
]


@pytest.fixture
def achievement(university, uni_user):
    return factories.make_achievement(
        university,
        user=uni_user,
        summary="PUBLIC-TEASER-TEXT",
        description="FULL-DESCRIPTION-TEXT",
        team="TEAM-TEXT",
        contact_email="tto@zju.example",
    )


@pytest.fixture
def challenge(university, uni_user):
    return factories.make_challenge(
        university,
        user=uni_user,
        summary="PUBLIC-TEASER-TEXT",
        description="FULL-DESCRIPTION-TEXT",
        confidential_details="CONFIDENTIAL-DETAILS-TEXT",
    )


def attach(listing, user, *, confidential: bool, name: str = "spec.pdf"):
    content = b"%PDF-1.4 " + (b"secret" if confidential else b"public")
    return attachment_add(
        listing=listing,
        user=user,
        file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        title="Confidential spec" if confidential else "Public brochure",
        is_confidential=confidential,
    )


def express(listing, user, **kw):
    kw.setdefault("purpose", "licence")
    kw.setdefault("message", "We would like a licence for our 28 nm line.")
    return services.interest_express(listing=listing, user=user, **kw)


def accept_nda(conversation, user):
    digest = selectors.nda_digest(selectors.nda_terms(conversation))
    return services.nda_accept(conversation=conversation, user=user, digest=digest)


@pytest.fixture
def interest(achievement, ent_user):
    return express(achievement, ent_user)


@pytest.fixture
def conversation(interest, uni_user):
    return services.interest_accept(interest=interest, user=uni_user)


@pytest.fixture
def nda(conversation, ent_user):
    return accept_nda(conversation, ent_user)

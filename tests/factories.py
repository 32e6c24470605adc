"""Small builders for test data. Listings are built straight in the database in any status;
tests of the lifecycle itself go through the services."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from accounts.choices import MembershipRole, MembershipStatus, OrganizationKind
from accounts.models import Membership, Organization, User
from marketplace.listings.indexing import listing_index, listings_embed_stale
from marketplace.listings.models import Achievement, Challenge, TechnicalField

PASSWORD = "correct-horse-battery-9"
_seq = itertools.count(1)


def make_org(
    *,
    kind: str = OrganizationKind.UNIVERSITY,
    verified: bool = True,
    region: str = "guangdong",
    name: str | None = None,
) -> Organization:
    n = next(_seq)
    return Organization.objects.create(
        kind=kind,
        name=name or f"Organisation {n}",
        region=region,
        is_verified=verified,
        verified_at=timezone.now() if verified else None,
    )


def make_user(
    *,
    org: Organization | None = None,
    role: str = MembershipRole.OWNER,
    status: str = MembershipStatus.ACTIVE,
    staff: bool = False,
    email: str | None = None,
    language: str = "en",
) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        email=email or f"person{n}@example.org",
        password=PASSWORD,
        full_name=f"Person {n}",
        is_staff=staff,
        preferred_language=language,
    )
    if org is not None:
        if status == MembershipStatus.PENDING:
            role = MembershipRole.MEMBER
        Membership.objects.create(user=user, organization=org, role=role, status=status)
    return user


def make_broker(
    region: str, *, verified: bool = True, name: str | None = None, email: str | None = None
) -> User:
    """A member of a transfer centre of ``region`` (a broker when the centre is verified)."""
    centre = make_org(
        kind=OrganizationKind.TRANSFER_CENTRE, region=region, verified=verified, name=name
    )
    return make_user(org=centre, email=email)


def field(code: str = "ic-lithography") -> TechnicalField:
    return TechnicalField.objects.get(code=code)


def _index(listing, embedded: bool) -> None:
    """As the services and the embedding task after them leave a listing: search vector,
    facet keys, and (unless ``embedded=False``) an embedding of the tests' stand-in model,
    so that no embedding is left to do when the test's transaction commits."""
    if embedded:
        listings_embed_stale(type(listing), ids=[listing.pk])
    listing_index(listing)


def make_achievement(
    org: Organization, *, status: str = "published", user=None, embedded: bool = True, **kw
) -> Achievement:
    now = timezone.now()
    data = {
        "title": "极紫外光刻胶 EUV photoresist",
        "summary": "A metal-oxide photoresist for EUV lithography.",
        "description": "Full description: formulation, process window and yield data.",
        "keywords": ["光刻胶", "EUV"],
        "region": org.region,
        "trl": 6,
        "ip_status": "invention_granted",
        "patent_numbers": "CN114000001A",
        "transaction_modes": ["licence", "transfer"],
        "price_negotiable": True,
        "status": status,
        "published_at": now if status in ("published", "expired", "archived") else None,
        "expires_at": now + timedelta(days=365) if status == "published" else None,
        "rejection_reason": "Too vague." if status == "rejected" else "",
        "created_by": user,
    }
    data.update(kw)
    fields = data.pop("fields", [field()])
    achievement = Achievement.objects.create(organization=org, **data)
    achievement.fields.set(fields)
    _index(achievement, embedded)
    achievement.refresh_from_db()
    return achievement


def make_challenge(
    org: Organization, *, status: str = "published", user=None, embedded: bool = True, **kw
) -> Challenge:
    now = timezone.now()
    data = {
        "title": "寻找高分辨率光刻工艺合作",
        "summary": "We need a lithography partner for 28 nm.",
        "description": "Full description of the process problem.",
        "confidential_details": "Our current yield is 71%.",
        "keywords": ["光刻"],
        "region": org.region,
        "budget_min": 1_000_000,
        "budget_max": 5_000_000,
        "deadline": timezone.localdate() + timedelta(days=90),
        "cooperation_modes": ["licence"],
        "min_trl": 5,
        "status": status,
        "published_at": now if status in ("published", "expired", "archived") else None,
        "rejection_reason": "Too vague." if status == "rejected" else "",
        "created_by": user,
    }
    data.update(kw)
    fields = data.pop("fields", [field()])
    challenge = Challenge.objects.create(organization=org, **data)
    challenge.fields.set(fields)
    _index(challenge, embedded)
    challenge.refresh_from_db()
    return challenge

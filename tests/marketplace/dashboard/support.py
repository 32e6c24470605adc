"""Builders of the dashboard tests' data and the known data set in Guangdong and Zhejiang
around the period of 2025 (``build_dataset``).

The data set (G: Guangdong, Z: Zhejiang; "in" means inside 2025-01-01..2025-12-31, local):

achievements  A1 G published ic · A2 G published ic+energy · A3 G draft energy
              A4 G rejected ai (2025-12-31 23:30, in) · A5 G published ic (2024-12-31 23:59, out)
              A6 G pending ic (2026-01-01 00:10, out) · Z1 Z published ic · Z2 Z published materials
challenges    C1 G published ic · C2 G expired energy · C3 G archived ic (out) · CZ1 Z published ic
matches       M1 A1-C1 engine · M2 A2-C1 broker · M3 Z1-C1 engine · M4 Z1-CZ1 engine
              M5 A1-CZ1 broker (out)
interests     I1 A1 from M1 accepted → V1 (NDA) → D1 contract signed → K1 CNY 1,000,000 (2025-03)
              I2 C1 from M2 accepted → V2 (NDA) → D2 negotiating
              I3 A2 from M2 accepted → V3 → D3 closed, lost
              I4 A1 pending · I5 C1 from M3 declined
              I6 Z1 from M4 accepted → V6 (NDA) → D6 contract signed → K6 USD 50,000 (2025-07)
              I7 A1 (out) accepted → V7 (out) → D7 (out) contract signed → K7 CNY 200,000 (2025-02)
              I8 A2 accepted → V8 (2025-03-01 00:30 local) → D8 contract signed → K8 USD 40,000
              (2025-03)
              I9 C1 accepted → V9 (2025-11) → D9 contract signed → K9 CNY 500,000 (2026-01, out)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from accounts.choices import OrganizationKind
from marketplace.deals.choices import DealStage, InterestStatus
from marketplace.deals.models import Contract, Conversation, Deal, Interest, NdaAcceptance
from marketplace.listings.models import Achievement, Challenge
from marketplace.matching.models import Match
from tests import factories

IN = "2025-01-01"
TO = "2025-12-31"
PERIOD_QUERY = f"from={IN}&to={TO}"
_seq = itertools.count(1)


def at(text: str) -> datetime:
    """A local time of the site's time zone, e.g. ``at("2025-03-15 10:00")``."""
    return timezone.make_aware(datetime.fromisoformat(text))


def created(obj, when: str):
    """Backdate a row's ``created_at`` (auto_now_add cannot be set on create)."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=at(when))
    return obj


# --- Builders -------------------------------------------------------------------------------


def org(kind: str, region: str):
    return factories.make_org(kind=kind, region=region, name=f"Org {next(_seq)}")


def achievement(owner, status: str, codes: list[str], when: str, **kw) -> Achievement:
    listing = factories.make_achievement(
        owner, status=status, fields=[factories.field(c) for c in codes], **kw
    )
    return created(listing, when)


def challenge(owner, status: str, codes: list[str], when: str, **kw) -> Challenge:
    listing = factories.make_challenge(
        owner, status=status, fields=[factories.field(c) for c in codes], **kw
    )
    return created(listing, when)


def match(a: Achievement, c: Challenge, when: str, proposed_by: str = "engine") -> Match:
    return created(
        Match.objects.create(
            achievement=a, challenge=c, score=Decimal("50"), proposed_by=proposed_by
        ),
        when,
    )


def interest(listing, sender, when: str, status: str = InterestStatus.PENDING, match=None):
    kind = "achievement" if isinstance(listing, Achievement) else "challenge"
    return created(
        Interest.objects.create(
            **{kind: listing},
            match=match,
            sender_organization=sender,
            purpose="licence",
            message="We are interested.",
            status=status,
        ),
        when,
    )


@dataclass
class Pipeline:
    conversation: Conversation
    deal: Deal
    contract: Contract | None


def pipeline(
    accepted: Interest,
    when: str,
    *,
    nda: bool = False,
    stage: str = DealStage.CONTACTED,
    contract: tuple[str, str, str] | None = None,
) -> Pipeline:
    """The conversation of an accepted interest, opened ``when``, with its deal (opened
    then too) at ``stage`` and, given ``(value, currency, signed_on)``, its contract."""
    owner = accepted.listing.organization
    conversation = created(
        Conversation.objects.create(
            interest=accepted,
            owner_organization=owner,
            other_organization=accepted.sender_organization,
            last_message_at=at(when),
        ),
        when,
    )
    if nda:
        NdaAcceptance.objects.create(
            conversation=conversation, organization=accepted.sender_organization, text="NDA"
        )
    deal = created(
        Deal.objects.create(
            conversation=conversation,
            stage=stage,
            lost_reason="Price" if stage == DealStage.CLOSED_LOST else "",
        ),
        when,
    )
    signed = None
    if contract:
        value, currency, signed_on = contract
        signed = Contract.objects.create(
            deal=deal,
            contract_type="transfer",
            value=Decimal(value),
            currency=currency,
            signed_on=date.fromisoformat(signed_on),
        )
    return Pipeline(conversation, deal, signed)


# --- The data set ---------------------------------------------------------------------------


def build_dataset() -> None:
    uni_g = org(OrganizationKind.UNIVERSITY, "guangdong")
    ent_g = org(OrganizationKind.ENTERPRISE, "guangdong")
    uni_z = org(OrganizationKind.UNIVERSITY, "zhejiang")
    ent_z = org(OrganizationKind.ENTERPRISE, "zhejiang")
    ent_x = org(OrganizationKind.ENTERPRISE, "beijing")
    ent_y = org(OrganizationKind.ENTERPRISE, "shanghai")

    a1 = achievement(uni_g, "published", ["ic-lithography"], "2025-03-01 09:00")
    a2 = achievement(uni_g, "published", ["ic-design", "energy-pv"], "2025-05-05 09:00")
    achievement(uni_g, "draft", ["energy-battery"], "2025-06-01 09:00")
    achievement(uni_g, "rejected", ["ai-vision"], "2025-12-31 23:30")
    achievement(uni_g, "published", ["ic-lithography"], "2024-12-31 23:59")
    achievement(uni_g, "pending", ["ic-lithography"], "2026-01-01 00:10")
    z1 = achievement(uni_z, "published", ["ic-lithography"], "2025-02-01 09:00")
    achievement(uni_z, "published", ["materials-2d"], "2025-02-02 09:00")

    c1 = challenge(ent_g, "published", ["ic-lithography"], "2025-02-10 09:00")
    challenge(ent_g, "expired", ["energy-battery"], "2025-07-07 09:00")
    challenge(ent_g, "archived", ["ic-lithography"], "2024-06-01 09:00")
    cz1 = challenge(ent_z, "published", ["ic-lithography"], "2025-04-01 09:00")

    m1 = match(a1, c1, "2025-03-02 09:00")
    m2 = match(a2, c1, "2025-05-06 09:00", "broker")
    m3 = match(z1, c1, "2025-02-11 09:00")
    m4 = match(z1, cz1, "2025-04-02 09:00")
    match(a1, cz1, "2024-06-01 09:00", "broker")

    accepted = InterestStatus.ACCEPTED
    signed = DealStage.CONTRACT_SIGNED
    i1 = interest(a1, ent_z, "2025-03-10 09:00", accepted, m1)
    pipeline(
        i1, "2025-03-16 09:00", nda=True, stage=signed, contract=("1000000", "CNY", "2025-03-20")
    )
    i2 = interest(c1, uni_z, "2025-03-12 09:00", accepted, m2)
    pipeline(i2, "2025-03-18 09:00", nda=True, stage=DealStage.NEGOTIATING)
    i3 = interest(a2, ent_z, "2025-04-01 09:00", accepted, m2)
    pipeline(i3, "2025-04-02 09:00", stage=DealStage.CLOSED_LOST)
    interest(a1, ent_x, "2025-05-01 09:00")
    interest(c1, uni_z, "2025-05-02 09:00", InterestStatus.DECLINED, m3)
    i6 = interest(z1, ent_g, "2025-06-01 09:00", accepted, m4)
    pipeline(
        i6, "2025-06-10 09:00", nda=True, stage=signed, contract=("50000", "USD", "2025-07-01")
    )
    i7 = interest(a1, ent_y, "2024-11-01 09:00", accepted)
    pipeline(i7, "2024-11-02 09:00", stage=signed, contract=("200000", "CNY", "2025-02-10"))
    i8 = interest(a2, ent_y, "2025-02-20 09:00", accepted)
    pipeline(i8, "2025-03-01 00:30", stage=signed, contract=("40000", "USD", "2025-03-02"))
    i9 = interest(c1, ent_x, "2025-11-01 09:00", accepted)
    pipeline(i9, "2025-11-10 09:00", stage=signed, contract=("500000", "CNY", "2026-01-05"))


def grow(n: int) -> None:
    """``n`` more of every row in Guangdong, spread over fields, statuses and months: what
    the query count must not depend on."""
    uni = org(OrganizationKind.UNIVERSITY, "guangdong")
    ent = org(OrganizationKind.ENTERPRISE, "guangdong")
    codes = ["ic-lithography", "energy-pv", "ai-vision", "biomed-drugs", "materials-2d"]
    statuses = ["published", "draft", "pending", "archived"]
    stages = list(DealStage.values)
    for i in range(n):
        month = f"2025-{i % 12 + 1:02d}-15 10:00"
        a = achievement(uni, statuses[i % 4], [codes[i % 5]], month)
        c = challenge(ent, statuses[(i + 1) % 4], [codes[(i + 2) % 5]], month)
        m = match(a, c, month, "broker" if i % 3 else "engine")
        status = [InterestStatus.ACCEPTED, InterestStatus.PENDING, InterestStatus.DECLINED][i % 3]
        chosen = interest(a if i % 2 else c, ent if i % 2 else uni, month, status, m)
        if status == InterestStatus.ACCEPTED:
            stage = stages[(i // 3) % len(stages)]
            pipeline(
                chosen,
                month,
                nda=bool(i % 2),
                stage=stage,
                contract=(f"{1000 * (i + 1)}", ["CNY", "USD", "EUR"][i % 3], month[:10])
                if stage == DealStage.CONTRACT_SIGNED
                else None,
            )

"""The demo's follow-through: interest in every state, deals at several stages, a contract."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from marketplace.deals.choices import DealStage, InterestStatus
from marketplace.deals.models import Contract, Deal, Interest, Message, NdaAcceptance

pytestmark = pytest.mark.django_db


def test_seed_demo_deals_tells_its_stories_once(capsys):
    call_command("seed_demo_deals")
    assert "seed_demo first" in capsys.readouterr().out
    assert not Interest.objects.exists()

    call_command("seed_demo")
    call_command("seed_demo_deals")
    call_command("seed_demo_deals")

    statuses = sorted(Interest.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [InterestStatus.PENDING, InterestStatus.DECLINED] + [InterestStatus.ACCEPTED] * 3
    )
    assert sorted(Deal.objects.values_list("stage", flat=True)) == sorted(
        [DealStage.CONTRACT_SIGNED, DealStage.EVALUATING, DealStage.CLOSED_LOST]
    )
    contract = Contract.objects.get()
    assert contract.deal.stage == DealStage.CONTRACT_SIGNED
    assert NdaAcceptance.objects.get().conversation == contract.deal.conversation
    assert Message.objects.count() == 6
    assert "already present" in capsys.readouterr().out

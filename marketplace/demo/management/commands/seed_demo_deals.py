"""Add the follow-through to the demo marketplace: interest in every state, conversations with
messages, an NDA, deals at several stages and one signed technology contract, so that the
inbox, the deal pages and the centre's reports have something to show.

Runs after ``seed_demo`` (``make run`` calls both) through the deals services, so the demo
keeps the rules and the history of real use. Does nothing when the demo people are missing
or when any interest exists already: safe to run on every start.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from marketplace.deals import selectors, services
from marketplace.deals.choices import ContractType, Currency, DealStage, InterestPurpose
from marketplace.deals.models import Deal, Interest, PriceNotice
from marketplace.demo.mail import emails_kept_in_memory
from marketplace.listings.models import Achievement, Challenge
from marketplace.refusals import Refused

# (who, listing kind, listing title, purpose, message, what happens next)
STORIES = [
    (
        "rd@shenxin.demo",
        Achievement,
        "Low-loss flip-chip packaging for superconducting qubit processors",
        InterestPurpose.LICENCE,
        "我们在做高速芯片的倒装封装，希望了解该工艺的许可条件和量产良率数据。",
        "signed",
    ),
    (
        "tech@ningchuan.demo",
        Achievement,
        "Air-stable sulfide solid electrolyte for all-solid-state lithium batteries",
        InterestPurpose.JOINT_DEVELOPMENT,
        "宁川新能源希望联合开发固态电池中试线，能否先交流一下电解质的空气稳定性数据？",
        "evaluating",
    ),
    (
        "rd@shenxin.demo",
        Achievement,
        "飞秒激光玻璃通孔（TGV）精密加工技术",
        InterestPurpose.MORE_INFORMATION,
        "请问TGV孔径一致性和加工节拍能达到什么水平？",
        "pending",
    ),
    (
        "tto@sustech.demo",
        Challenge,
        "大尺寸FC-BGA封装翘曲控制",
        InterestPurpose.SOLUTION,
        "我校先进封装团队在翘曲仿真与低应力底填料方面有成熟方案。",
        "declined",
    ),
    (
        "ic@fudan.demo",
        Challenge,
        "28 nm高速SerDes低抖动锁相环设计",
        InterestPurpose.SOLUTION,
        "复旦微电子学院有低抖动LC-PLL流片经验，可提供设计服务。",
        "lost",
    ),
]


class Command(BaseCommand):
    help = "Add interest, conversations, deals and a contract to the demo data (after seed_demo)."

    def handle(self, *args, **options) -> None:
        if Interest.objects.exists():
            self.stdout.write("Demo deals already present")
            return
        if not User.objects.filter(email__iexact="rd@shenxin.demo").exists():
            self.stdout.write("No demo marketplace (run seed_demo first); nothing to add")
            return
        try:
            with emails_kept_in_memory(), transaction.atomic():
                for story in STORIES:
                    self._tell(*story)
        except (Refused, LookupError) as exc:
            raise CommandError(f"Demo deals not created: {exc}") from exc
        self.stdout.write(f"Demo deals: {len(STORIES)} expressions of interest and what followed")

    def _tell(self, email, model, title, purpose, message, ending) -> None:
        sender = User.objects.get(email=email)
        listing = model.objects.select_related("organization").get(title=title)
        owner = listing.organization.memberships.filter(role="owner").first().user
        interest = services.interest_express(
            listing=listing, user=sender, purpose=purpose, message=message
        )
        if ending == "pending":
            return
        if ending == "declined":
            services.interest_decline(
                interest=interest,
                user=owner,
                code="capacity",
                reason="We have chosen a supplier for this round; thank you.",
            )
            return
        conversation = services.interest_accept(interest=interest, user=owner)
        services.message_send(
            conversation=conversation,
            user=owner,
            body="Thank you for your interest. Shall we have a call next week? 下周方便通话吗？",
        )
        services.message_send(
            conversation=conversation,
            user=sender,
            body="好的，周二下午可以。Tuesday afternoon works for us.",
        )
        deal = conversation.deal
        if ending == "lost":
            services.deal_close_lost(
                deal=deal, user=owner, reason="Jitter target out of reach at our budget."
            )
            return
        services.deal_advance(deal=deal, user=owner, to_stage=DealStage.EVALUATING)
        if ending == "evaluating":
            return
        terms = selectors.nda_terms(conversation)
        services.nda_accept(
            conversation=conversation, user=sender, digest=selectors.nda_digest(terms)
        )
        deal.refresh_from_db()
        services.deal_advance(deal=deal, user=owner, to_stage=DealStage.NEGOTIATING)
        conversation.refresh_from_db()
        if selectors.deal_actions(owner, conversation).announce_price:
            # An agreed price is publicly noticed first (Art. 18); the demo's notice ran out
            # before the signing date below.
            notice = services.price_announce(deal=deal, user=owner, price=Decimal("1800000"))
            PriceNotice.objects.filter(pk=notice.pk).update(
                announced_at=timezone.now() - timedelta(days=30),
                ends_at=timezone.now() - timedelta(days=15),
            )
            deal = Deal.objects.get(pk=deal.pk)
        services.contract_record(
            deal=deal,
            user=owner,
            contract_type=ContractType.TRANSFER,
            value=Decimal("1800000"),
            currency=Currency.CNY,
            signed_on=timezone.localdate() - timedelta(days=12),
        )

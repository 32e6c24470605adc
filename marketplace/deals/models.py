"""From interest to a signed technology contract.

An organisation expresses ``Interest`` in a published listing (or from a match); the owner
organisation accepts or declines it. Accepting opens a ``Conversation`` between the two
organisations with its ``Deal``: messages, the listing's NDA (``NdaAcceptance``), the deal
stages (``DealEvent``) and, once signed, the ``Contract``. Status changes happen only in
``services``; these models hold data and the database rules.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from marketplace.deals.choices import (
    ContractType,
    Currency,
    DealStage,
    DeclineReason,
    InterestPurpose,
    InterestStatus,
)
from marketplace.listings.kinds import ONE_LISTING_CONSTRAINT, belongs_to_one_listing
from marketplace.matching.models import Match

_OPEN = [InterestStatus.PENDING, InterestStatus.ACCEPTED]


class Interest(belongs_to_one_listing(related_name="interests")):
    """An organisation's expression of interest in one published listing of another.

    At most one open (pending or accepted) interest per organisation and listing.
    """

    match = models.ForeignKey(
        Match,
        verbose_name=_("match"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests",
        help_text=_("The match it was expressed from, if any."),
    )
    sender_organization = models.ForeignKey(
        Organization,
        verbose_name=_("interested organisation"),
        on_delete=models.CASCADE,
        related_name="interests_sent",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purpose = models.CharField(_("what you are after"), max_length=20, choices=InterestPurpose)
    message = models.TextField(_("message"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=InterestStatus, default=InterestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_code = models.CharField(
        _("why declined"), max_length=20, choices=DeclineReason, blank=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # The feedback duty: an answer is due by then (working days, settings); the owners are
    # reminded before it and the region's brokers told after it, once each.
    answer_due = models.DateTimeField(_("answer due by"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("brokers told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at", "-pk"]
        constraints = [
            ONE_LISTING_CONSTRAINT,
            models.UniqueConstraint(
                fields=["sender_organization", "achievement"],
                condition=models.Q(status__in=_OPEN),
                name="interest_one_open_per_achievement",
            ),
            models.UniqueConstraint(
                fields=["sender_organization", "challenge"],
                condition=models.Q(status__in=_OPEN),
                name="interest_one_open_per_challenge",
            ),
        ]
        indexes = [
            # interests_chase: the pending interests whose answer falls due.
            models.Index(
                fields=["answer_due"],
                condition=models.Q(status="pending"),
                name="interest_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_organization} → {self.listing}"

    def get_absolute_url(self) -> str:
        return reverse("deals:interest_detail", args=[self.pk])


class Conversation(models.Model):
    """The exchange between a listing's owner organisation and an interested one, opened by
    accepting the interest. Holds the deal (``deal``) and, once signed, the contract."""

    interest = models.OneToOneField(
        Interest, verbose_name=_("interest"), on_delete=models.CASCADE, related_name="conversation"
    )
    # Both sides, copied from the interest: the inbox of an organisation reads these.
    owner_organization = models.ForeignKey(
        Organization,
        verbose_name=_("listing owner"),
        on_delete=models.CASCADE,
        related_name="conversations_as_owner",
    )
    other_organization = models.ForeignKey(
        Organization,
        verbose_name=_("interested organisation"),
        on_delete=models.CASCADE,
        related_name="conversations_as_other",
    )
    last_message_at = models.DateTimeField(_("last activity"), db_index=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            # An organisation's inbox, newest activity first (one index per side).
            models.Index(
                fields=["owner_organization", "-last_message_at"], name="conv_owner_inbox"
            ),
            models.Index(
                fields=["other_organization", "-last_message_at"], name="conv_other_inbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_organization} ↔ {self.other_organization}: {self.interest.listing}"

    def get_absolute_url(self) -> str:
        return reverse("deals:conversation_detail", args=[self.pk])


def _message_file_path(instance: MessageAttachment, filename: str) -> str:
    # A random folder keeps names unguessable and lets two files share a name.
    return f"messages/{uuid.uuid4().hex}/{os.path.basename(filename)}"


class Message(models.Model):
    """One message of a conversation."""

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sender_organization = models.ForeignKey(
        Organization,
        verbose_name=_("sender's organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            # A conversation's messages in order, and its unread ones (after a time).
            models.Index(fields=["conversation", "created_at"], name="message_conv_time"),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class MessageAttachment(models.Model):
    """A file sent with a message; served only through a permission-checked view."""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_message_file_path, max_length=300)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    # Detected from the bytes when uploaded (marketplace/uploads/content.py), never taken from
    # the browser; files from before the check have none and are served as octet-stream.
    content_type = models.CharField(_("content type"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return os.path.basename(self.file.name)


class ConversationRead(models.Model):
    """Until when one user has read one conversation: later messages of others are unread."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read up to"))

    class Meta:
        verbose_name = _("conversation read")
        verbose_name_plural = _("conversation reads")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.conversation_id} up to {self.read_at}"


class NdaAcceptance(models.Model):
    """The interested organisation's click-through acceptance of the listing's NDA: who, when
    and the exact text accepted. Opens the listing's confidential details and files to it."""

    conversation = models.OneToOneField(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="nda"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text accepted"))
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("NDA acceptance")
        verbose_name_plural = _("NDA acceptances")
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"NDA {self.conversation_id} by {self.organization}"


class Deal(models.Model):
    """The deal pipeline of one conversation: contacted → evaluating → NDA signed →
    negotiating → contract signed, or closed-lost with a reason (``services`` moves it)."""

    conversation = models.OneToOneField(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="deal"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=DealStage, default=DealStage.CONTACTED
    )
    lost_reason = models.TextField(_("why it was lost"), blank=True, max_length=2000)
    # The broker whose recommendation led to it (a broker-proposed match), if any.
    brokered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("brokered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals_brokered",
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage=DealStage.CLOSED_LOST, lost_reason=""),
                name="deal_lost_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation} [{self.stage}]"


class DealEvent(models.Model):
    """One stage change of a deal: who, from what to what, when and why."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(_("from"), max_length=20, choices=DealStage, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=DealStage)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deal stage change")
        verbose_name_plural = _("deal stage changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class Contract(models.Model):
    """The technology contract a signed deal records, for technology-contract registration."""

    deal = models.OneToOneField(
        Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="contract"
    )
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ContractType)
    value = models.DecimalField(
        _("contract value"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, default=Currency.CNY)
    signed_on = models.DateField(_("signed on"), db_index=True)
    # What the registration of technology contracts (技术合同认定登记) asks beyond the above.
    title = models.CharField(_("contract name"), max_length=200, blank=True)
    number = models.CharField(_("contract number"), max_length=60, blank=True)
    technology_income = models.DecimalField(
        _("technology income"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The part of the value paid for the technology itself (技术交易额): what the tax "
            "relief and the statistics count."
        ),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    technical_field = models.ForeignKey(
        "listings.TechnicalField",
        verbose_name=_("technical field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="contract_value_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(technology_income__isnull=True)
                | models.Q(technology_income__gte=0, technology_income__lte=models.F("value")),
                name="contract_technology_income_within_value",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="contract_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_contract_type_display()} {self.value} {self.currency}"


class PriceNotice(models.Model):
    """The public notice (公示) of a price agreed in a deal: the price and the parties are
    shown publicly until ``ends_at`` (settings.PRICE_NOTICE_DAYS); anyone signed in may
    object meanwhile; the contract is recorded only after it ends (Art. 18)."""

    deal = models.OneToOneField(
        Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="price_notice"
    )
    price = models.DecimalField(
        _("agreed price"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, default=Currency.CNY)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("announced by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    announced_at = models.DateTimeField(_("announced at"))
    ends_at = models.DateTimeField(_("notice ends at"), db_index=True)  # the running notices

    class Meta:
        verbose_name = _("price notice")
        verbose_name_plural = _("price notices")
        ordering = ["-announced_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="notice_price_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("announced_at")), name="notice_ends_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price} {self.currency} ({self.deal_id})"

    def get_absolute_url(self) -> str:
        return reverse("deals:notice_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.ends_at > timezone.now()


class PriceObjection(models.Model):
    """An objection to a noticed price, with its reason: the listing's owner organisation
    and moderators read it."""

    notice = models.ForeignKey(
        PriceNotice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="objections"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=4000)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("price objection")
        verbose_name_plural = _("price objections")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.reason[:60]

"""Choice lists of the follow-through from interest to contract."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InterestPurpose(models.TextChoices):
    """What the interested organisation is after."""

    LICENCE = "licence", _("A licence")
    PURCHASE = "purchase", _("Buying the technology")
    JOINT_DEVELOPMENT = "joint_development", _("Joint development")
    SOLUTION = "solution", _("Offering a solution")
    MORE_INFORMATION = "more_information", _("More information")


class InterestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class DeclineReason(models.TextChoices):
    """Why an interest was declined: the sender reads it, the owner's market feedback
    counts it. "Other" needs a few words."""

    NOT_OUR_FIELD = "not_our_field", _("Not our field")
    MATURITY = "maturity", _("Maturity too low")
    PRICE = "price", _("Price")
    IP = "ip", _("IP situation")
    LICENSED = "licensed", _("Already licensed")
    CAPACITY = "capacity", _("No capacity now")
    OTHER = "other", _("Other")


class DealStage(models.TextChoices):
    """The stages of a deal, in order; closed-lost can end any open stage."""

    CONTACTED = "contacted", _("Contacted")
    EVALUATING = "evaluating", _("Evaluating")
    NDA_SIGNED = "nda_signed", _("NDA signed")
    NEGOTIATING = "negotiating", _("Negotiating")
    CONTRACT_SIGNED = "contract_signed", _("Contract signed")
    CLOSED_LOST = "closed_lost", _("Closed, lost")


class ContractType(models.TextChoices):
    """The four registered types of technology contract (技术合同)."""

    DEVELOPMENT = "development", _("Technology development")
    TRANSFER = "transfer", _("Technology transfer")
    CONSULTING = "consulting", _("Technology consulting")
    SERVICE = "service", _("Technology service")


class Currency(models.TextChoices):
    CNY = "CNY", _("Chinese yuan (CNY)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")
    HKD = "HKD", _("Hong Kong dollar (HKD)")

"""Choice lists of listings, with the codes that data files and the API use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")
    EXPIRED = "expired", _("Expired")


class IPStatus(models.TextChoices):
    INVENTION_GRANTED = "invention_granted", _("Invention patent granted")
    INVENTION_PENDING = "invention_pending", _("Invention patent pending")
    UTILITY_MODEL = "utility_model", _("Utility model")
    SOFTWARE_COPYRIGHT = "software_copyright", _("Software copyright")
    KNOW_HOW = "know_how", _("Know-how")
    NONE = "none", _("None")


class CooperationMode(models.TextChoices):
    """How a technology changes hands: offered by achievements, wanted by challenges."""

    TRANSFER = "transfer", _("Transfer")
    LICENCE = "licence", _("Licence")
    EQUITY = "equity", _("Equity investment")
    JOINT_DEVELOPMENT = "joint_development", _("Joint development")
    TECHNICAL_SERVICE = "technical_service", _("Technical service")


class TRL(models.IntegerChoices):
    """Technology readiness levels 1-9."""

    BASIC_PRINCIPLES = 1, _("TRL 1 · basic principles observed")
    CONCEPT = 2, _("TRL 2 · technology concept formulated")
    PROOF_OF_CONCEPT = 3, _("TRL 3 · proof of concept")
    LAB_VALIDATED = 4, _("TRL 4 · validated in the laboratory")
    RELEVANT_VALIDATED = 5, _("TRL 5 · validated in a relevant environment")
    RELEVANT_DEMONSTRATED = 6, _("TRL 6 · demonstrated in a relevant environment")
    PROTOTYPE = 7, _("TRL 7 · prototype in an operational environment")
    QUALIFIED = 8, _("TRL 8 · system complete and qualified")
    PROVEN = 9, _("TRL 9 · proven in operation")


class ListingKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("Achievement")
    CHALLENGE = "challenge", _("Challenge")


class PricingRoute(models.TextChoices):
    """How an achievement's price is set (Law on Promoting the Transformation of Scientific
    and Technological Achievements, Art. 18): by agreement (then publicly noticed), at a
    listed price anyone verified may accept, or by auction."""

    AGREED = "agreed", _("Agreed price (with a public notice)")
    LISTED = "listed", _("Listed price (accept the stated terms)")
    AUCTION = "auction", _("Auction")

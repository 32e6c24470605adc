"""The kinds of notification; each user chooses per kind how often to hear of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MATCH_FOUND = "match_found", _("New matches")
    MODERATION = "moderation", _("Moderation decisions")
    SAVED_SEARCH = "saved_search", _("Saved-search alerts")
    EXPIRY_REMINDER = "expiry_reminder", _("Expiry reminders")
    ORGANIZATION = "organization", _("Organisation and membership news")
    INTEREST = "interest", _("Expressions of interest")
    MESSAGE = "message", _("Messages")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Channel(models.TextChoices):
    """How a delivery reaches its recipient; in-app notifications need no delivery."""

    EMAIL = "email", _("Email")

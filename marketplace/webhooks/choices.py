"""The events an endpoint may subscribe to, and the states of a delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    MATCH_CREATED = "match.created", _("New match")
    INTEREST_RECEIVED = "interest.received", _("Interest received")
    DEAL_STAGE_CHANGED = "deal.stage_changed", _("Deal stage changed")


# Sent by the "send test event" button, whatever the endpoint subscribed to.
TEST_EVENT = "webhook.test"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")

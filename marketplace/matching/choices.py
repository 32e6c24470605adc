"""Choice lists of matching."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposedBy(models.TextChoices):
    ENGINE = "engine", _("Matching engine")
    BROKER = "broker", _("Broker")

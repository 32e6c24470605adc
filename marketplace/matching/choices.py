"""Choice lists of matching."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposedBy(models.TextChoices):
    ENGINE = "engine", _("Matching engine")
    BROKER = "broker", _("Broker")


class SemanticMode(models.TextChoices):
    """``MATCH_SEMANTIC``: use the optional sentence-embedding model?"""

    AUTO = "auto", _("When installed")
    ON = "on", _("Always (fail if not installed)")
    OFF = "off", _("Never")

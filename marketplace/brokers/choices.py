"""Choice lists of the broker ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class AssignmentKind(models.TextChoices):
    """What a centre assigns: a challenge of its region, or an expression of interest in a
    listing of its region."""

    CHALLENGE = "challenge", _("Challenge")
    INTEREST = "interest", _("Expression of interest")

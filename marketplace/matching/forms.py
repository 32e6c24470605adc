"""Forms of matching: the verdict on a match."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MatchFeedbackForm(forms.Form):
    """``relevant=yes`` or ``relevant=no``, from the two buttons under a match."""

    relevant = forms.TypedChoiceField(
        label=_("Relevant?"),
        choices=[("yes", _("Relevant")), ("no", _("Not relevant"))],
        coerce=lambda value: value == "yes",
    )

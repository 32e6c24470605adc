"""Forms of the brokers' pages: finding a counterpart and recommending it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.listings.kinds import Listing, counterpart_model
from marketplace.matching.retrieval import matchable
from marketplace.matching.services import BROKER_NOTE_MAX


class CandidateSearchForm(forms.Form):
    q = forms.CharField(label=_("Title or number"), max_length=200, required=False)


class RecommendForm(forms.Form):
    """The counterpart (by number) and the broker's note."""

    counterpart = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Your note to both organisations"),
        max_length=BROKER_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why these two should talk: what you know of both sides."),
    )

    def __init__(self, *args, listing: Listing, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.listing = listing

    def clean_counterpart(self) -> Listing:
        model = counterpart_model(self.listing)
        counterpart = (
            matchable(model)
            .exclude(organization_id=self.listing.organization_id)
            .filter(pk=self.cleaned_data["counterpart"])
            .first()
        )
        if counterpart is None:
            raise forms.ValidationError(
                _("Choose an open %(kind)s of another organisation.")
                % {"kind": model.kind.label.lower()}
            )
        return counterpart

"""Forms of the brokers' pages: the region page's filters and a recommendation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import ListingKind
from marketplace.listings.kinds import Listing, counterpart_model
from marketplace.listings.models import TechnicalField
from marketplace.matching.retrieval import matchable
from marketplace.matching.services import BROKER_NOTE_MAX

STATUS_CHOICES = [
    ("", _("All published")),
    ("unmatched", _("No match yet")),
    ("matched", _("With matches")),
    ("recommended", _("Recommended by a broker")),
    ("expiring", _("Expiring within 30 days")),
]


class FieldChoiceField(forms.ModelChoiceField):
    """A technical field by code, listed as fields and their sub-fields."""

    def label_from_instance(self, obj: TechnicalField) -> str:
        return str(obj) if obj.parent_id else obj.name


class RegionFilterForm(forms.Form):
    """A plain GET form: every state is a URL. An invalid value is reported and ignored."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=ListingKind.choices, required=False, widget=forms.HiddenInput
    )
    field = FieldChoiceField(
        label=_("Technical field"),
        queryset=TechnicalField.objects.select_related("parent").order_by(
            "parent__position", "parent__code", "position", "code"
        ),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label=_("Title or number"), max_length=200, required=False)

    def filters(self) -> dict:
        """The valid filters, with defaults for those missing or invalid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("kind") or ListingKind.CHALLENGE,
            "field": data.get("field"),
            "status": data.get("status") or "",
            "q": data.get("q") or "",
        }


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

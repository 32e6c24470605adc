"""Forms of the brokers' pages: finding a counterpart and recommending it; assigning work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import MembershipStatus
from accounts.models import Organization, User
from marketplace.brokers.choices import AssignmentKind
from marketplace.brokers.services import NOTE_MAX
from marketplace.deals.models import Interest
from marketplace.listings.kinds import Listing, counterpart_model
from marketplace.listings.models import Challenge
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


class AssignmentForm(forms.Form):
    """What a centre's owner assigns: a challenge or an interest (by number), to which of
    its brokers, by when, with a note."""

    kind = forms.ChoiceField(label=_("What"), choices=AssignmentKind.choices)
    number = forms.IntegerField(label=_("Number"), min_value=1)
    broker = forms.ModelChoiceField(label=_("Broker"), queryset=User.objects.none())
    due = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note to the broker"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, centre: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["broker"].queryset = User.objects.filter(
            membership__organization=centre, membership__status=MembershipStatus.ACTIVE
        ).order_by("full_name", "email")
        self.fields["broker"].label_from_instance = lambda u: u.full_name or u.email

    def clean(self) -> dict:
        data = super().clean()
        kind, number = data.get("kind"), data.get("number")
        if kind and number:
            model = Challenge if kind == AssignmentKind.CHALLENGE else Interest
            subject = model.objects.filter(pk=number).first()
            if subject is None:
                self.add_error("number", _("There is no such number."))
            data["subject"] = subject
        return data

"""Forms of listings: they validate and clean input; services write it."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import CooperationMode, IPStatus, ListingKind
from marketplace.listings.models import (
    ACHIEVEMENT_OWNER_FIELDS,
    CHALLENGE_OWNER_FIELDS,
    Achievement,
    Challenge,
    TechnicalField,
)
from marketplace.uploads.content import validate_attachment

KEYWORD_SPLIT = re.compile(r"[,，、;；\n]+")
MAX_KEYWORDS = 12
PATENTED = {IPStatus.INVENTION_GRANTED, IPStatus.INVENTION_PENDING, IPStatus.UTILITY_MODEL}


def technical_field_choices() -> list:
    """Every technical field, grouped by top-level field (two statements)."""
    tree = TechnicalField.objects.filter(parent__isnull=True).prefetch_related("children")
    return [
        (
            top.name,
            [(top.code, _("%(name)s (all)") % {"name": top.name})]
            + [(child.code, child.name) for child in top.children.all()],
        )
        for top in tree
    ]


class TechnicalFieldsField(forms.MultipleChoiceField):
    """Technical fields chosen by code from a select grouped by top-level field."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Technical fields"))
        kwargs.setdefault(
            "help_text", _("Choose one to five; a sub-field is more precise than its parent.")
        )
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=(), **kwargs)

    def load_choices(self, choices: list | None = None) -> None:
        """The taxonomy as grouped choices: read now, or ``choices`` read once already by a
        caller that builds many forms (a spreadsheet's rows)."""
        self.choices = technical_field_choices() if choices is None else choices

    def clean(self, value):
        codes = super().clean(value)
        if len(codes) > 5:
            raise forms.ValidationError(_("Choose at most five technical fields."))
        return list(TechnicalField.objects.filter(code__in=codes))


class KeywordsField(forms.CharField):
    """Keywords typed as one line, separated by commas (， 、 ; also work)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Keywords"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate keywords with commas, e.g. 光刻胶, EUV, wafer."))
        super().__init__(max_length=600, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def clean(self, value):
        text = super().clean(value)
        seen: dict[str, str] = {}
        for word in KEYWORD_SPLIT.split(text or ""):
            word = " ".join(word.split())
            if word and word.lower() not in seen:
                seen[word.lower()] = word
        keywords = list(seen.values())
        if len(keywords) > MAX_KEYWORDS:
            raise forms.ValidationError(_("Give at most %(n)d keywords.") % {"n": MAX_KEYWORDS})
        if any(len(word) > 40 for word in keywords):
            raise forms.ValidationError(_("Each keyword must be 40 characters or fewer."))
        return keywords


def _modes_field(label) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=CooperationMode.choices, widget=forms.CheckboxSelectMultiple
    )


class _ListingForm(forms.ModelForm):
    technical_fields = TechnicalFieldsField()
    keywords = KeywordsField()

    def __init__(self, *args, field_choices: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technical_fields"].load_choices(field_choices)
        if self.instance.pk:
            self.initial["technical_fields"] = [f.code for f in self.instance.fields.all()]

    def service_data(self) -> dict:
        """The cleaned input in the shape the listing services take."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["fields"] = self.cleaned_data["technical_fields"]
        return data


class AchievementForm(_ListingForm):
    transaction_modes = _modes_field(_("Transaction modes offered"))

    class Meta:
        model = Achievement
        fields = ACHIEVEMENT_OWNER_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "team": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "title",
        "summary",
        "description",
        "technical_fields",
        "keywords",
        "region",
        "trl",
        "ip_status",
        "patent_numbers",
        "transaction_modes",
        "price_negotiable",
        "asking_price",
        "team",
        "contact_name",
        "contact_email",
        "contact_phone",
    ]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("price_negotiable"):
            data["asking_price"] = None
        elif data.get("asking_price") is None and "asking_price" not in self.errors:
            self.add_error("asking_price", _("Give an asking price, or tick “price negotiable”."))
        if data.get("ip_status") in PATENTED and not data.get("patent_numbers", "").strip():
            self.add_error("patent_numbers", _("Give the patent or application number(s)."))
        return data


class ChallengeForm(_ListingForm):
    cooperation_modes = _modes_field(_("Cooperation modes wanted"))

    class Meta:
        model = Challenge
        fields = CHALLENGE_OWNER_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "confidential_details": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    field_order = [
        "title",
        "summary",
        "description",
        "confidential_details",
        "technical_fields",
        "keywords",
        "region",
        "budget_min",
        "budget_max",
        "deadline",
        "cooperation_modes",
        "min_trl",
    ]

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline must be today or later."))
        return deadline

    def clean(self) -> dict:
        data = super().clean()
        low, high = data.get("budget_min"), data.get("budget_max")
        if isinstance(low, Decimal) and isinstance(high, Decimal) and low > high:
            self.add_error("budget_max", _("The upper budget must not be below the lower one."))
        return data


# The form of each kind of listing, shared by the pages and the spreadsheet imports.
LISTING_FORMS: dict[str, type[AchievementForm] | type[ChallengeForm]] = {
    ListingKind.ACHIEVEMENT: AchievementForm,
    ListingKind.CHALLENGE: ChallengeForm,
}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    is_confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_(
            "Only your organisation, moderators and organisations that accepted this listing's "
            "NDA in a conversation with you will see a confidential file."
        ),
    )

    def clean_file(self):
        return validate_attachment(self.cleaned_data["file"])


class RenewChallengeForm(forms.Form):
    deadline = forms.DateField(
        label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline must be today or later."))
        return deadline

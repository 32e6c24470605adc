"""Forms of the deals room: they validate and clean input; services write it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.deals.choices import (
    ContractType,
    Currency,
    DealStage,
    DeclineReason,
    InterestPurpose,
)
from marketplace.deals.models import Contract
from marketplace.deals.services import MAX_FILES_PER_MESSAGE, REGISTRATION
from marketplace.listings.models import TechnicalField
from marketplace.uploads.content import validate_attachment


class InterestForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What you are after"), choices=InterestPurpose.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Message to the listing's organisation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Who you are, what you would like to do with it and what you need to know. "
            "They read this before deciding to open a conversation."
        ),
    )


class DeclineForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Why you decline"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("In your words (needed for “Other”)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organisation that sent the interest reads it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("code") == DeclineReason.OTHER and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say in a few words why you decline."))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each passes the listing attachments' checks."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(uploads) > MAX_FILES_PER_MESSAGE:
            raise forms.ValidationError(
                _("Attach at most %(n)d files to one message.") % {"n": MAX_FILES_PER_MESSAGE}
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(validate_attachment(super().clean(upload, initial)))
            except forms.ValidationError as exc:
                errors.extend(f"{getattr(upload, 'name', '?')}: {m}" for m in exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField(label=_("Files"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Formatted here, per request, so that it follows the page's language.
        self.fields["files"].help_text = _(
            "Up to %(n)d files of %(mb)d MB at most: PDF, Office documents, images, text or zip."
        ) % {"n": MAX_FILES_PER_MESSAGE, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("files") and not self.errors:
            raise forms.ValidationError(_("Write a message or attach a file."))
        return data


class NdaForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    agree = forms.BooleanField(
        label=_("I have read these terms and accept them for my organisation."),
        error_messages={"required": _("Tick the box to accept the terms.")},
    )


class AdvanceForm(forms.Form):
    """Move the deal forward to one of ``stages`` (``selectors.deal_actions(…).stages``)."""

    to_stage = forms.ChoiceField(label=_("Move to"))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(),
    )

    def __init__(self, *args, stages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DealStage.choices)
        self.fields["to_stage"].choices = [(s, labels[s]) for s in stages]


class LoseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was the deal lost?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Both organisations see it in the deal's history."),
    )


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class ContractRegistrationForm(forms.Form):
    """What the registration of technology contracts (技术合同认定登记) asks beyond the
    type, value and date; all optional until the registration itself."""

    title = forms.CharField(
        label=_("Contract name"),
        required=False,
        max_length=200,
        help_text=_("As written on the contract; the listing's title when left empty."),
    )
    number = forms.CharField(label=_("Contract number"), required=False, max_length=60)
    technology_income = forms.DecimalField(
        label=_("Technology income"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=Contract._meta.get_field("technology_income").help_text,
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    technical_field = forms.ModelChoiceField(
        label=_("Technical field"),
        required=False,
        queryset=TechnicalField.objects.order_by("code"),
    )


class ContractForm(ContractRegistrationForm):
    field_order = ("contract_type", "value", "currency", "signed_on", *REGISTRATION, "note")

    contract_type = forms.ChoiceField(
        label=_("Type of technology contract"), choices=ContractType.choices
    )
    value = forms.DecimalField(
        label=_("Contract value"), min_value=0, max_digits=16, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.TextInput()
    )

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("The signing date cannot be in the future."))
        return signed_on


class PriceAnnounceForm(forms.Form):
    """The price the parties agreed, to be publicly noticed."""

    price = forms.DecimalField(
        label=_("Agreed price"), min_value=0, max_digits=16, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you object to this price"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

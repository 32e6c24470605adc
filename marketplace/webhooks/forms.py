"""The endpoint form: the service checks the address and events again (``services._clean``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.webhooks.choices import WebhookEvent


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Endpoint URL"),
        max_length=500,
        help_text=_("An https:// address of your own system; we POST JSON to it."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )

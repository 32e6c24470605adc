"""Forms of the pricing routes: they validate and clean input; services write it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import PricingRoute


class RouteForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Pricing route"), choices=PricingRoute.choices, widget=forms.RadioSelect
    )
    listed_price = forms.DecimalField(
        label=_("Listed price (yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    start_price = forms.DecimalField(
        label=_("Auction start price (yuan)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    increment = forms.DecimalField(
        label=_("Minimum increment (yuan)"),
        required=False,
        min_value=0.01,
        max_digits=16,
        decimal_places=2,
    )
    ends_at = forms.DateTimeField(
        label=_("Auction ends at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class BidForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Your bid (yuan)"), min_value=0, max_digits=16, decimal_places=2
    )


class TermsForm(forms.Form):
    agree = forms.BooleanField(
        label=_("We accept the standard non-exclusive licence above, at the listed price."),
        required=True,
    )

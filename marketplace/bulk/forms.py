from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import ListingKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file lists"), choices=ListingKind.choices)
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("A .csv or .xlsx file with the columns of the template, one listing per row."),
    )


class ImportConfirmForm(forms.Form):
    submit_for_review = forms.BooleanField(
        label=_("Submit every listing for review at once (otherwise they stay drafts)"),
        required=False,
    )

"""The dashboard's filters: a date range (``from``, ``to``) and, for moderators, a region."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Region
from marketplace.dashboard.tables import Period, add_months

# Dates outside these cannot be meant, and would overflow the date arithmetic at the ends.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
# A longer range would draw hundreds of monthly columns.
MAX_YEARS = 10


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )


class DashboardFilterForm(forms.Form):
    """A plain GET form; every state is a URL. Missing dates default to the last twelve
    months (``Period.default``); one date alone gets the other from it."""

    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices]
    )

    def __init__(self, *args, today: date, can_choose_region: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # "from" is a Python keyword: these fields cannot be declared as class attributes.
        fields = {"from": _date_field(_("From")), "to": _date_field(_("To"))}
        if can_choose_region:
            fields["region"] = self.fields["region"]
        self.fields = fields

    def _clean_date(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."),
                params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            )
        return value

    def clean_from(self) -> date | None:
        return self._clean_date("from")

    def clean_to(self) -> date | None:
        return self._clean_date("to")

    def clean(self) -> dict:
        cleaned = super().clean()
        if "from" not in cleaned or "to" not in cleaned:
            return cleaned  # a date was invalid: its own error says why
        start, end = cleaned["from"], cleaned["to"]
        if start is None and end is None:
            period = Period.default(self.today)
        elif start is None:
            period = Period(add_months(end, -11), end)
        elif end is None:
            period = Period(start, max(start, self.today))
        else:
            period = Period(start, end)
        if period.start > period.end:
            raise forms.ValidationError(_("The start date is after the end date."))
        if period.end >= add_months(period.start, MAX_YEARS * 12):
            raise forms.ValidationError(
                _("Choose a range of at most %(years)d years."), params={"years": MAX_YEARS}
            )
        cleaned["period"] = period
        return cleaned
